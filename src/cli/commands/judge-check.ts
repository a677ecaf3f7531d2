import type { JudgeCheckOptions } from '../../app/judge-check-command.js';
import { intOption, listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerJudgeCheck: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('judge-check')
    .description(
      "Measure a judge against gold labels: accuracy and Cohen's kappa with bootstrap intervals, confusion matrices, per-class and value precision/recall, per domain; several annotators' files are combined and their agreement reported",
    )
    .argument(
      '[gold-files...]',
      "gold labels, JSONL (format: docs/judge-check.md); several files = several annotators' labels of the same items",
    )
    .option('-c, --config <file>', 'config file (judge, taxonomy and cache settings)', 'config.yaml')
    .option('--judge <names>', 'judge name(s), comma-separated (default: judge.judges in the config)', listOption)
    .option('--json <file>', 'also write the report as JSON')
    .option(
      '--run <dir>',
      "a run directory: record the result there (judge-check.json) for its reports; gold items with a cellId are scored against the run's own judgments (no judge call); without gold files, the labels the run was imported with are the gold",
    )
    .option('--combined-out <file>', 'write the gold as scored (several annotators combined by majority, one line per item) as JSONL')
    .option('--seed <n>', 'seed of the bootstrap intervals', intOption, 1)
    .option('--resamples <n>', 'bootstrap resamples', intOption, 2000)
    .addHelpText(
      'after',
      '\nExamples:\n  valuescope judge-check gold.jsonl\n  valuescope judge-check ann-a.jsonl ann-b.jsonl --run results/<run-id> --combined-out gold.jsonl\n' +
        '  valuescope judge-check --run results/<imported-run>   # labels kept by import --label-column\n' +
        'Exit codes: 0 scored, 3 the judge failed on some items, 2 usage, config or gold-file error.',
    )
    .action(async (goldFiles: string[], opts: JudgeCheckOptions) => {
      const { judgeCheckCommand } = await import('../../app/judge-check-command.js');
      setExit(await judgeCheckCommand(goldFiles, opts, ctx));
    });
};
