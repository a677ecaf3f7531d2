import path from 'node:path';
import { median } from './lib/measure.js';
import { spawnTimed } from './lib/spawn-timed.js';

export interface StartupResult {
  runs: number;
  nodeBinMedianMs: number;
  npxMedianMs: number;
  bareNodeMedianMs: number;
}

/**
 * `--help` wall time, median of `runs`, three ways: the launcher directly, through npx (which
 * resolves the self-linked bin in node_modules/.bin and starts npm first), and bare `node -e ''`
 * as the floor any Node CLI pays.
 */
export async function cliStartup(repo: string, runs: number): Promise<StartupResult> {
  const env = { ...process.env, NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false' };
  const time = async (cmd: string, args: string[]): Promise<number> => {
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await spawnTimed(cmd, args, { cwd: repo, env });
      if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
      xs.push(r.wallMs);
    }
    return median(xs);
  };
  return {
    runs,
    nodeBinMedianMs: await time(process.execPath, [path.join(repo, 'bin', 'valuescope.js'), '--help']),
    npxMedianMs: await time('npx', ['valuescope', '--help']),
    bareNodeMedianMs: await time(process.execPath, ['-e', '']),
  };
}
