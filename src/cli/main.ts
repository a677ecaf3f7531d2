import { Command, CommanderError } from 'commander';
import type { AppContext } from '../core/context.js';
import { EXIT, ValuescopeError } from '../core/errors.js';
import { HARNESS_VERSION } from '../core/version.js';
import { COMMANDS } from './commands/index.js';

/**
 * Parses argv and runs one command. Returns the exit code; never calls process.exit, so tests can
 * call it in-process. Command implementations are imported lazily so `--help` stays fast.
 */
export async function main(argv: string[], ctx: AppContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('valuescope')
    .description('Measure, profile and diff the values chat models express.')
    .version(HARNESS_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showSuggestionAfterError(true);

  for (const register of COMMANDS) {
    register(program, ctx, (code) => {
      exitCode = code;
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return handleError(err, ctx);
  }
}

function handleError(err: unknown, ctx: AppContext): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander already printed the message
  }
  if (err instanceof ValuescopeError) {
    ctx.stderr.write(`valuescope: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  ctx.stderr.write(`valuescope: unexpected error (this is a bug, please report it):\n${e?.stack ?? String(err)}\n`);
  return EXIT.usage;
}
