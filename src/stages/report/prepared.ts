import { promises as fsp } from 'node:fs';
import type { Block } from './blocks.js';
import type { ProfilePair } from './content-profile.js';
import type { ExamplesData } from './example-data.js';
import type { CellSource } from './transcript-data.js';
import type { DiffView } from './view-model.js';

/** Everything a report needs, gathered from one run, diff or gate directory. */
export interface Prepared {
  kind: 'run' | 'diff' | 'gate';
  title: string;
  blocks: Block[];
  pairs: ProfilePair[];
  diff: DiffView | null;
  sources: CellSource[];
  /** INCOMPLETE INPUT notes carried by the profile, diff or gate read: shown first. */
  incomplete: string[];
  /** A run's answers came from the local test server (records/synthetic.ts): SYNTHETIC everywhere. */
  synthetic: boolean;
  /** Paired examples for change and rule rows (diff and gate reports). */
  examples?: ExamplesData;
  /** Scenarios whose answers differ between the sides (the transcript browser's filter). */
  changedScenarios?: ReadonlySet<string>;
  /** The watch list, so the browser can mark hits. */
  watchlist: ReadonlySet<string>;
}

export async function exists(p: string): Promise<boolean> {
  return fsp.access(p).then(
    () => true,
    () => false,
  );
}
