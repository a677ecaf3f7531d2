import type { Command } from 'commander';
import type { RegisterCommand } from './types.js';

interface CacheFlags {
  config?: string;
  dir?: string;
}

export const registerCache: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('cache')
    .description('Inspect or empty the cache directory (cacheDir): model responses of `cache: development` runs, judge answers');
  withDirOptions(cmd.command('info').description('Entries, bytes, oldest and newest entry, per kind of entry')).action(
    async (opts: CacheFlags) => {
      const { cacheInfo } = await import('../../app/cache-command.js');
      setExit(await cacheInfo(opts, ctx));
    },
  );
  withDirOptions(cmd.command('clear').description('Remove every cache entry (asks nothing; prints what was removed)')).action(
    async (opts: CacheFlags) => {
      const { cacheClear } = await import('../../app/cache-command.js');
      setExit(await cacheClear(opts, ctx));
    },
  );
  withDirOptions(cmd.command('prune').description('Remove the cache entries written longer ago than --older-than'))
    .requiredOption('--older-than <duration>', 'age of the entries to remove, e.g. 14d, 12h, 30m')
    .action(async (opts: CacheFlags & { olderThan: string }) => {
      const { cachePrune } = await import('../../app/cache-command.js');
      setExit(await cachePrune(opts, ctx));
    });
};

function withDirOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file whose cacheDir to use (default: config.yaml)')
    .option('--dir <dir>', 'the cache directory itself (instead of the config)')
    .addHelpText(
      'after',
      '\nOnly files laid out as cache entries (<2 hex>/<sha256>.json) are counted or removed.\nExit codes: 0 done, 2 usage, config or storage error.',
    );
}
