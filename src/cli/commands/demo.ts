import { intOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerDemo: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('demo')
    .description(
      'Offline end-to-end demo against the local server (SYNTHETIC answers, no API keys): run, judge, profile, diff, gate, report',
    )
    .option('--out <dir>', 'where to write everything (default: results/demo-<timestamp>)')
    .option('--samples <n>', 'samples per model and scenario', intOption, 2)
    .action(async (opts: { out?: string; samples: number }) => {
      const [{ demoCommand }, { main }] = await Promise.all([import('../../app/demo-command.js'), import('../main.js')]);
      // The demo drives the real CLI; main is handed down so app/ never imports cli/.
      setExit(await demoCommand(opts, ctx, (argv) => main(argv, ctx)));
    });
};
