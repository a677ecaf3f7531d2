import type { RegisterCommand } from './types.js';

export const registerBaseline: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('baseline')
    .description('Baselines kept in git: one target of a run as a small, stable file that diff and gate accept as a side');
  cmd
    .command('save')
    .description('Write the counts diff and gate need for one target of a run (no transcript text) to FILE')
    .argument('<run>', 'RUN_DIR or RUN_DIR#MODEL_ID (a run with several targets needs #MODEL_ID)')
    .requiredOption('--out <file>', 'the baseline file to write, e.g. baselines/assistant.json (its folder is created)')
    .option('--config <file>', 'config whose watch list and gate forbid values the baseline tracks (default: config.yaml when present)')
    .option('--allow-incomplete', 'save a run with unrun or unjudged cells; diff and gate then refuse or warn as with the run')
    .addHelpText(
      'after',
      '\nThe file has sorted keys and no save time: saving the same run twice gives the same bytes (docs/baselines.md).\nExit codes: 0 written, 2 usage or input error (nothing written).',
    )
    .action(async (run: string, flags: { out: string; config?: string; allowIncomplete?: boolean }) => {
      const { baselineSave } = await import('../../app/baseline-command.js');
      const clean = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as typeof flags;
      setExit(await baselineSave(run, clean, ctx));
    });
  cmd
    .command('show')
    .description('What a baseline file holds: target, run, dates, suite and judge hashes, served models, scenarios, cells')
    .argument('<file>', 'a baseline file written by valuescope baseline save')
    .action(async (file: string) => {
      const { baselineShow } = await import('../../app/baseline-command.js');
      setExit(await baselineShow(file, ctx));
    });
};
