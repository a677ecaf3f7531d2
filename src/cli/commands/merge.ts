import type { RegisterCommand } from './types.js';

export const registerMerge: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('merge')
    .description('Join the shards of a run (run --shard i/n on several machines) into one run directory')
    .argument('<shard-dirs...>', 'the run directory of every shard, e.g. shards/*/*/ (each index 1..n once)')
    .requiredOption('--out <dir>', 'the merged run directory to create (new, or an empty directory)')
    .option('--transcripts-only', 'merge the answers only, not the judgments; then judge the merged run with valuescope judge')
    .addHelpText(
      'after',
      '\nThe shards must be finished and share config, suite, samples, models and shard count, and together hold every cell once;\n' +
        'otherwise nothing is written. Judgments are merged when the shards were judged by one judge (cells left unjudged:\n' +
        'valuescope judge DIR); shards judged by different judges are refused unless --transcripts-only.\n' +
        'Exit codes: 0 merged, 2 the shards cannot be merged or --out is not empty (nothing written).',
    )
    .action(async (dirs: string[], opts: { out: string; transcriptsOnly?: boolean }) => {
      const { mergeCommand } = await import('../../app/merge-command.js');
      setExit(await mergeCommand(dirs, { out: opts.out, transcriptsOnly: opts.transcriptsOnly === true }, ctx));
    });
};
