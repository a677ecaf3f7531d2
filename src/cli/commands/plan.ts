import { UsageError } from '../../core/errors.js';
import { listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

interface PlanFlags {
  config?: string;
  from?: string;
  models?: string[];
  domains?: string[];
  scenarios?: string;
  samples?: string;
}

export const registerPlan: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('plan')
    .description(
      'Power plan before a run: per gate rule, scenarios and samples in scope, the MDE, and the samples or scenarios that make it decidable',
    )
    .option('-c, --config <file>', 'config file (default: config.yaml)')
    .option('--from <run>', 'RUN_DIR or RUN_DIR#MODEL_ID: take each rule’s variance from an earlier run (default: p = 0.5, ρ = 0.3)')
    .option('--models <ids>', 'only these model ids (comma-separated), as in run', listOption)
    .option('--domains <names>', 'only these scenario domains (comma-separated), as in run', listOption)
    .option('--scenarios <glob>', 'a scenario folder or file (a custom pack), or a glob filtering scenario ids/paths, as in run')
    .option('--samples <n>', 'samples per model and scenario (overrides runner.samples)')
    .action(async (opts: PlanFlags) => {
      const samples = opts.samples === undefined ? undefined : Number(opts.samples);
      if (samples !== undefined && (!Number.isInteger(samples) || samples < 1 || samples > 100))
        throw new UsageError(`--samples must be a whole number from 1 to 100, got '${opts.samples}'`);
      const { planCommand } = await import('../../app/plan-command.js');
      setExit(await planCommand({ ...opts, samples }, ctx));
    });
};
