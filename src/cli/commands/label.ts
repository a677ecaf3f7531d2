import { intOption, listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

interface LabelFlags {
  out: string;
  sample?: number;
  strata?: string[];
  seed?: number;
  annotator?: string;
  rubric: string;
  config?: string;
}

export const registerLabel: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('label')
    .description(
      'Draw a stratified random sample of judged cells and write a self-contained page to label them (gold labels for judge-check)',
    )
    .argument('<run>', 'a judged run directory (results/<run-id>)')
    .requiredOption('--out <dir>', 'write draw.json (the draw record) and label.html here')
    .option('--sample <n>', 'cells to draw (default 50)', intOption)
    .option(
      '--strata <fields>',
      "stratify by these fields, comma-separated: domain, responseType, refusal, model (the judge's labels)",
      listOption,
    )
    .option('--seed <n>', 'seed of the draw (default: a random one, recorded in draw.json)', intOption)
    .option('--annotator <name>', 'the annotator (otherwise the page asks for a name)')
    .option('--rubric <judge>', 'judge definition whose rubric the page shows', 'default')
    .option('-c, --config <file>', 'config file, for the taxonomy the value fields suggest (default: config.yaml when present)')
    .action(async (run: string, opts: LabelFlags) => {
      const { labelCommand } = await import('../../app/label-command.js');
      setExit(await labelCommand(run, opts, ctx));
    });
};
