import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

interface RunFlags {
  config?: string;
  models?: string[];
  domains?: string[];
  scenarios?: string;
  samples?: string;
  out?: string;
  resume?: string;
  retryErrors?: boolean;
  reuseFrom?: string;
  cache: boolean;
  batch?: boolean;
  maxCost?: string;
  shard?: string;
  dryRun?: boolean;
  judge: boolean;
  report: boolean;
}

export const registerRun: RegisterCommand = (program, ctx, setExit) => {
  declareRunOptions(program.command('run')).action(async (opts: RunFlags) => {
    // A bad --samples is a usage error before any implementation module is loaded.
    const samples = parseSamples(opts.samples);
    const maxCost = parseMaxCost(opts.maxCost);
    const shard = parseShard(opts.shard);
    if (opts.resume !== undefined && shard !== undefined)
      throw new UsageError('--resume repeats the run as it started (its shard included): drop --shard');
    if (opts.reuseFrom !== undefined && opts.resume !== undefined)
      throw new UsageError('--reuse-from starts a new run and cannot be combined with --resume');
    const { runCommand } = await import('../../app/run-command.js');
    const hooks = opts.judge ? (await import('../../app/post-run-chain.js')).judgeRunHooks : undefined;
    setExit(
      await runCommand(
        {
          config: opts.config,
          models: opts.models,
          domains: opts.domains,
          scenarios: opts.scenarios,
          samples,
          out: opts.out,
          resume: opts.resume,
          retryErrors: opts.retryErrors === true,
          reuseFrom: opts.reuseFrom,
          cache: opts.cache,
          batch: opts.batch === true ? true : undefined,
          maxCost,
          shard,
          dryRun: opts.dryRun === true,
          judge: opts.judge,
          report: opts.report,
          hooks,
        },
        ctx,
      ),
    );
  });
};

/** Description, flags and help text of `run`; `--help` lists the flags in the order declared here. */
function declareRunOptions(command: Command): Command {
  return command
    .description('Replay the scenario suite against the configured models; writes results/<run-id>/')
    .option('-c, --config <file>', 'config file (default: config.yaml; with --resume, the file the run started with)')
    .option('--models <ids>', 'only these model ids (comma-separated)', listOption)
    .option('--domains <names>', 'only these scenario domains (comma-separated)', listOption)
    .option(
      '--scenarios <glob>',
      "a scenario folder or file (a custom pack, replacing the config suite), or a glob filtering scenario ids/paths (quote it; to leave scenarios out, negate a glob every name of theirs matches: '!**/*persona*', see docs/configuration.md)",
    )
    .option('--samples <n>', 'samples per model and scenario (overrides runner.samples)')
    .option('--out <dir>', 'results directory (default: outDir from the config)')
    .option('--resume <run-dir>', 'continue an interrupted run: request only its missing cells')
    .option('--retry-errors', 'with --resume: request again the cells that ended in error')
    .option(
      '--reuse-from <run-dir>',
      "a new run that re-judges RUN's answers: cells with an identical request reuse its answer (no request), the others are requested fresh",
    )
    .option('--no-cache', 'do not read or write the response cache')
    .option('--batch', "send the cells (and the judge calls) through the providers' batch APIs: about half the price, answered within 24 h")
    .option('--max-cost <usd>', 'stop sending new requests before the cost (models and judge, at config prices) would pass USD')
    .option('--shard <i/n>', 'run only the i-th of n balanced parts of the plan (join them with `valuescope merge`)')
    .option('--dry-run', 'print the plan (cells, estimated tokens and cost) and exit without sending anything')
    .option('--no-judge', 'do not judge transcripts while the run goes')
    .option('--no-report', 'do not write profile.json and the report at the end')
    .addHelpText(
      'after',
      '\nExit codes: 0 every cell answered, 2 config/usage/input/storage error, 3 some cells errored or the run was interrupted.',
    );
}

function parseSamples(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const samples = Number(raw);
  if (!Number.isInteger(samples) || samples < 1 || samples > 100)
    throw new UsageError(`--samples must be a whole number from 1 to 100, got '${raw}'`);
  return samples;
}

function parseMaxCost(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const usd = Number(raw.replace(/^\$/, ''));
  if (!Number.isFinite(usd) || usd <= 0)
    throw new UsageError(`--max-cost must be a positive amount in USD, such as 25 or 2.50, got '${raw}'`);
  return usd;
}

function parseShard(raw: string | undefined): { index: number; count: number } | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 1000 || index < 1 || index > count)
    throw new UsageError(`--shard must be i/n with 1 <= i <= n <= 1000, such as 1/4, got '${raw}'`);
  return { index, count };
}
