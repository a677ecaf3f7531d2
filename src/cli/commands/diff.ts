import type { RegisterCommand } from './types.js';

export const registerDiff: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('diff')
    .description('Compare two profiles, paired by scenario (writes diff.json, diff.csv and diff.md)')
    .argument('<base>', 'RUN_DIR, RUN_DIR#MODEL_ID or a baseline file (valuescope baseline save)')
    .argument('<cand>', 'RUN_DIR, RUN_DIR#MODEL_ID or a baseline file (valuescope baseline save)')
    .option('--out <dir>', 'output directory (default: CAND_RUN_DIR/diff-<base>-vs-<cand>)')
    .option('--resamples <n>', 'permutation resamples for p-values (default: gate.resamples or 2000)')
    .option('--seed <n>', 'random seed (default: gate.seed or 1)')
    .option(
      '--config <file>',
      'config.yaml to read the watch list, alpha and defaults from (not read unless given; without it: built-in defaults)',
    )
    .option('--allow-suite-mismatch', 'compare runs of different suites (shared scenarios only)')
    .option('--allow-judge-mismatch', 'compare judgments from different judges')
    .option('--allow-incomplete', 'analyse runs with unrun or unjudged cells, failed or foreign judgments (every output says INCOMPLETE)')
    .option(
      '--labels <files...>',
      "human label files for either side (a label applies to the side whose run holds its cell): judge-corrected changes (default: the config's judge.labels)",
    )
    .option('--no-report', 'do not write report.md, report.html and charts into the output directory')
    .action(async (base: string, cand: string, flags: Record<string, unknown>) => {
      const { diffCommand } = await import('../../app/diff-command.js');
      const clean = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
      setExit(await diffCommand(base, cand, clean, ctx));
    });
};
