import { intOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerTaxonomy: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program.command('taxonomy').description('Taxonomy tools: pull the published tree, show the tree in use, match value names');
  cmd
    .command('pull')
    .description('Download the published Values-in-the-Wild tree (values_tree.csv) into your cache and verify it')
    .option('--dest <dir>', 'directory to write values_tree.csv into (default: $XDG_CACHE_HOME/valuescope or ~/.cache/valuescope)')
    .option('--url <url>', 'download from a mirror instead of the official Hugging Face dataset')
    .option('--allow-unpinned', 'keep a file whose sha256 differs from the pinned one (it must still pass every check)')
    .addHelpText(
      'after',
      '\nVerifies row counts, that every cluster share equals the sum of its leaves, and the pinned sha256.\nExit codes: 0 downloaded and verified, 2 download or verification failed.',
    )
    .action(async (opts: { dest?: string; url?: string; allowUnpinned?: boolean }) => {
      const { taxonomyPull } = await import('../../app/taxonomy-command.js');
      setExit(await taxonomyPull(opts, ctx));
    });
  cmd
    .command('show')
    .description('Which taxonomy a config uses, its counts and categories')
    .option('-c, --config <file>', 'config file (default: config.yaml when present, else the built-in tree)')
    .action(async (opts: { config?: string }) => {
      const { taxonomyShow } = await import('../../app/taxonomy-command.js');
      setExit(await taxonomyShow(opts, ctx));
    });
  cmd
    .command('match')
    .description('Map value names onto the taxonomy and print path, method and score')
    .argument('<names...>', 'value names, e.g. "honest" "respect for user autonomy"')
    .option('-c, --config <file>', 'config file (default: config.yaml when present, else the built-in tree)')
    .option('--candidates <k>', 'also list the top-k candidate leaves', intOption)
    .option('--json', 'one JSON object per name')
    .action(async (names: string[], opts: { config?: string; candidates?: number; json?: boolean }) => {
      const { taxonomyMatch } = await import('../../app/taxonomy-command.js');
      setExit(await taxonomyMatch(names, opts, ctx));
    });
};
