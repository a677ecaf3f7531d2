import path from 'node:path';
import { EnvironmentError, InputError } from '../core/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { PUBLISHED_TREE_SHA256, PUBLISHED_TREE_URL } from './credit.js';
import { checkShares, parsePublishedTree, type ShareCheck } from './published-tree.js';
import { countsByLevel } from './tree.js';

export interface PullOptions {
  fetch: typeof globalThis.fetch;
  env: Record<string, string | undefined>;
  /** Directory to write values_tree.csv into; the user's cache directory by default. */
  dest?: string | undefined;
  /** A mirror of the official file; the Hugging Face URL by default. */
  url?: string | undefined;
  /** Accept a file whose sha256 differs from the pinned one (it must still pass every structural check). */
  allowUnpinned?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface PullResult {
  file: string;
  sha256: string;
  pinned: boolean;
  counts: [number, number, number, number];
  topLevel: ShareCheck[];
}

/** $XDG_CACHE_HOME/valuescope, else ~/.cache/valuescope. */
function userCacheDir(env: Record<string, string | undefined>): string {
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'valuescope');
  if (env.HOME) return path.join(env.HOME, '.cache', 'valuescope');
  throw new EnvironmentError('cannot find a cache directory: set XDG_CACHE_HOME or HOME, or pass --dest DIR');
}

/**
 * Downloads values_tree.csv and keeps it only if it parses, has the official row counts, its cluster
 * shares equal the sums of its leaf shares, and (unless allowed otherwise) its sha256 is the pinned one.
 * The file is written to a temporary name and renamed, so a failed pull never leaves a half file behind.
 */
export async function pullPublishedTree(o: PullOptions): Promise<PullResult> {
  const url = o.url ?? PUBLISHED_TREE_URL;
  let text: string;
  try {
    const res = await o.fetch(url, { ...(o.signal ? { signal: o.signal } : {}), redirect: 'follow' });
    if (!res.ok)
      throw new EnvironmentError(
        `download failed: HTTP ${res.status} from ${url}; check your network or proxy, or download the file by hand and set taxonomy.path`,
      );
    text = await res.text();
  } catch (e) {
    if (e instanceof EnvironmentError) throw e;
    throw new EnvironmentError(
      `download failed (${(e as Error).message}) from ${url}; check your network or proxy, or download the file by hand and set taxonomy.path`,
      { cause: e },
    );
  }
  const dir = o.dest ?? userCacheDir(o.env);
  const file = path.join(dir, 'values_tree.csv');
  const tree = parsePublishedTree(text, url);
  const bad = checkShares(tree).filter((c) => !c.ok);
  if (bad.length > 0) {
    const b = bad[0]!;
    throw new InputError(
      `the shares do not add up (${b.name}: stated ${b.stated}, leaves sum to ${b.summed}; ${bad.length} cluster(s) off): the download is corrupt, try again`,
      { file: url },
    );
  }
  const pinned = tree.sha256 === PUBLISHED_TREE_SHA256;
  if (!pinned && !o.allowUnpinned) {
    throw new InputError(
      `sha256 ${tree.sha256} differs from the pinned ${PUBLISHED_TREE_SHA256} (the file passed the structural checks, so the dataset may have been updated upstream); pass --allow-unpinned to keep it`,
      { file: url },
    );
  }
  await writeFileAtomic(file, text);
  return { file, sha256: tree.sha256!, pinned, counts: countsByLevel(tree), topLevel: checkShares(tree).filter((c) => c.level === 3) };
}
