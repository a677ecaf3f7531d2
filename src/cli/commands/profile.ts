import type { ProfileFlags } from '../../app/profile-command.js';
import type { RegisterCommand } from './types.js';

export const registerProfile: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('profile')
    .description('Build the value profile of a run (writes RUN_DIR/profile.json and profile.csv)')
    .argument('<run>', 'RUN_DIR, RUN_DIR#MODEL_ID or a baseline file (with --out)')
    .option('--out <file>', 'also write the profile here (and FILE.csv beside it)')
    .option(
      '--resamples <n>',
      'recorded in profile.json only: profile intervals are analytic (docs/statistics.md); kept so scripts that pass it still run',
    )
    .option('--seed <n>', 'random seed (default: gate.seed or 1)')
    .option('--config <file>', 'config.yaml to read the watch list and defaults from (not read unless given)')
    .option(
      '--labels <files...>',
      'human label files (exported by `valuescope label`): add judge-corrected shares to profile.json (default: judge.labels in the config)',
    )
    .option('--allow-incomplete', 'profile a run with unrun or unjudged cells, failed or foreign judgments (profile.json says INCOMPLETE)')
    .action(async (run: string, flags: Record<string, string | string[] | undefined>) => {
      const { profileCommand } = await import('../../app/profile-command.js');
      setExit(await profileCommand(run, strip(flags) as ProfileFlags, ctx));
    });
};

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
