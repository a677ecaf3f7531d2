import { Option } from 'commander';
import type { ImportCliOptions } from '../../app/import-command.js';
import { listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerImport: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('import')
    .description('Turn existing conversations (OpenAI/Anthropic JSONL or CSV) into a run directory')
    .argument('<file>', 'JSONL of chat message lists, or CSV with prompt/response columns')
    .addOption(new Option('--format <format>', 'input shape').choices(['openai', 'anthropic', 'csv']).makeOptionMandatory())
    .option('--model-id <id>', 'model id for every conversation (default: a record\'s "model" field, else "imported")')
    .option('--domain <domain>', 'domain for every conversation (default: a record\'s "domain" field, else "imported")')
    .option('--out <dir>', 'results directory', 'results')
    .option('--prompt-column <name>', 'CSV: column with the user prompt', 'prompt')
    .option('--response-column <name>', 'CSV: column with the model response', 'response')
    .option('--system-column <name>', 'CSV: column with the system prompt (default: "system" when present)')
    .option('--id-column <name>', 'CSV: column with a conversation id (default: "id" when present, else a hash of the prompt)')
    .option(
      '--label-column <name>',
      'CSV column (or JSONL top-level field) with a human label per conversation, kept as gold for judge-check --run',
    )
    .addOption(
      new Option('--label-kind <kind>', 'what the label column holds')
        .choices(['response-type', 'refusal'])
        .default(undefined, 'response-type'),
    )
    .option(
      '--label-map <pairs>',
      "map the dataset's label values: VALUE=LABEL, comma-separated or repeated (e.g. refused=full,complied=none)",
      listOption,
    )
    .option('--skip-invalid', 'skip malformed records (they are listed with their line numbers) instead of stopping')
    .addHelpText(
      'after',
      '\nFormats and examples: docs/import.md.\nExit codes: 0 imported, 2 usage or input error (a malformed record names FILE:line and the field).',
    )
    .action(async (file: string, opts: ImportCliOptions) => {
      const { importCommand } = await import('../../app/import-command.js');
      setExit(await importCommand(file, opts, ctx));
    });
};
