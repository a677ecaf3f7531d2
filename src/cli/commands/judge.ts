import { listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerJudge: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('judge')
    .description('Judge (or re-judge) the transcripts of a run; writes judgments.jsonl and judge-summary.json')
    .argument('<run-dir>', 'a run directory, e.g. results/<run-id>')
    .option('-c, --config <file>', 'config file (judge, taxonomy and cache settings)', 'config.yaml')
    .option(
      '--judge <names>',
      'judge name(s), comma-separated or repeated (default: judge.judges in the config); "lexical" is the offline judge',
      listOption,
    )
    .option('--force', 'judge afresh: move existing judgments aside to judgments.<timestamp>.jsonl')
    .option('--batch', "send the judge calls through the providers' batch APIs (judge.mode batch): about half the price")
    .addHelpText(
      'after',
      '\nResumes: cells already judged by the same judge are skipped; with batches in flight (judge-batches.jsonl) it waits for them instead of submitting again. A different judge is refused unless --force.\nExit codes: 0 all judged, 2 config/usage/input error, 3 some judgments failed or judging was interrupted.',
    )
    .action(async (runDir: string, opts: { config: string; judge?: string[]; force?: boolean; batch?: boolean }) => {
      const { judgeCommand } = await import('../../app/judge-command.js');
      setExit(await judgeCommand(runDir, opts, ctx));
    });
};
