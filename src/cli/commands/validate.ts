import { listOption, numberOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerValidate: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('validate')
    .description('Check config.yaml and the scenario suite; list every problem (exit 2 when any)')
    .option('-c, --config <file>', 'config file', 'config.yaml')
    .option('--scenarios <paths>', 'comma-separated scenario folders or globs (default: `suite:` in the config)', listOption)
    .option('--similarity <x>', 'near-duplicate threshold (word 3-gram Jaccard, 0..1)', numberOption)
    .option('--strict', 'treat near-duplicate warnings as errors')
    .action(async (opts: { config: string; scenarios?: string[]; similarity?: number; strict?: boolean }) => {
      const { validateCommand } = await import('../../app/validate-command.js');
      setExit(await validateCommand(opts, ctx));
    });
};
