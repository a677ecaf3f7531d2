import { listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerJudgeCheck: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('judge-check')
    .description("Measure a judge against gold labels: accuracy, Cohen's kappa, confusion matrices, value precision/recall")
    .argument('<gold-file>', 'gold labels, JSONL (format: docs/judge-check.md)')
    .option('-c, --config <file>', 'config file (judge, taxonomy and cache settings)', 'config.yaml')
    .option('--judge <names>', 'judge name(s), comma-separated (default: judge.judges in the config)', listOption)
    .option('--json <file>', 'also write the report as JSON')
    .option('--run <dir>', "record the result in a run directory (judge-check.json), so that run's reports show the judge's validation")
    .action(async (goldFile: string, opts: { config: string; judge?: string[]; json?: string; run?: string }) => {
      const { judgeCheckCommand } = await import('../../app/judge-check-command.js');
      setExit(await judgeCheckCommand(goldFile, opts, ctx));
    });
};
