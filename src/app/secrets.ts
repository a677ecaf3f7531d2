import { isCredentialHeader } from '../config/model-target.js';
import type { Config } from '../config/schema.js';
import type { AppContext } from '../core/context.js';
import { SecretScrubber } from '../util/secret-scrubber.js';

/** Environment variables whose values are credentials by their name (ANTHROPIC_API_KEY, HF_TOKEN, ...). */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/i;

interface Endpoint {
  apiKeyEnv?: string | undefined;
  baseURL?: string | undefined;
  headers?: Record<string, string> | undefined;
}

/**
 * Header values to scrub: the whole value of a credential header (by name), and in any other header
 * each token-like word (20+ characters mixing letters and digits: users put tokens in headers the
 * schema asks to keep free of them). A plain value such as a team or provider name is not a secret:
 * scrubbing it would rewrite every id, prompt and answer that contains the word (e.g. a variant named
 * after the header value), corrupting the run.
 */
function headerSecrets(headers: Record<string, string> | undefined): string[] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) => [
    ...(isCredentialHeader(name) ? [value] : []),
    ...value.split(/\s+/).filter((w) => w.length >= 20 && /[a-z]/i.test(w) && /\d/.test(w)),
  ]);
}

/**
 * Every secret a command could leak: the values of the key variables the config names and of any
 * variable named like a credential, the user name and password of every base URL, and credentials in
 * headers (headerSecrets).
 */
function configuredSecrets(config: Config, env: AppContext['env']): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) if (value && SECRET_NAME.test(name)) out.push(value);
  const endpoints: Endpoint[] = [...config.models, ...(config.judge.model ? [config.judge.model] : [])];
  for (const e of endpoints) {
    if (e.apiKeyEnv && env[e.apiKeyEnv]) out.push(env[e.apiKeyEnv] as string);
    out.push(...urlCredentials(e.baseURL));
    out.push(...headerSecrets(e.headers));
  }
  return out;
}

function urlCredentials(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    return [u.password, decodeURIComponent(u.password), u.username, decodeURIComponent(u.username)].filter(Boolean);
  } catch {
    return [];
  }
}

/** The command's scrubber, and a context whose stdout and stderr pass through it. */
export function scrubbedContext(ctx: AppContext, config: Config): { ctx: AppContext; scrubber: SecretScrubber } {
  const scrubber = new SecretScrubber(configuredSecrets(config, ctx.env));
  if (!scrubber.active) return { ctx, scrubber };
  const wrap = (s: AppContext['stdout']): AppContext['stdout'] => ({
    write: (chunk: string) => s.write(scrubber.scrub(chunk)),
    ...(s.isTTY !== undefined ? { isTTY: s.isTTY } : {}),
    ...(s.columns !== undefined ? { columns: s.columns } : {}),
  });
  return { ctx: { ...ctx, stdout: wrap(ctx.stdout), stderr: wrap(ctx.stderr) }, scrubber };
}
