import path from 'node:path';

/** The file `taxonomy.path` names: `~/` is the user's home, anything else resolves against the config's folder. */
export function resolveTaxonomyPath(given: string, configDir: string, env: Record<string, string | undefined>): string {
  return path.resolve(configDir, given.startsWith('~/') && env.HOME ? path.join(env.HOME, given.slice(2)) : given);
}
