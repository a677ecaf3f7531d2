import type { LocalServerFlags } from '../../app/local-server-command.js';
import { intOption, numberOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerLocalServer: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('local-server')
    .description('Start the local Anthropic/OpenAI-compatible test server on 127.0.0.1 (synthetic answers, injectable faults)')
    .option('--port <n>', 'port to listen on (0 = any free port)', intOption, 0)
    .option('--latency-ms <n>', 'delay before every answer', numberOption)
    .option('--jitter-ms <n>', 'extra random delay in [0, n)', numberOption)
    .option('--error-rate <x>', 'share of requests answered with HTTP 500', numberOption)
    .option('--overload-rate <x>', 'share answered 529 (Anthropic route) / 503 (OpenAI route)', numberOption)
    .option('--rate-429 <x>', 'share answered with HTTP 429', numberOption)
    .option('--retry-after <s>', 'retry-after seconds sent with random 429s', numberOption)
    .option('--retry-after-ms <n>', 'retry-after-ms sent with random 429s', numberOption)
    .option('--hang-rate <x>', 'share of requests never answered', numberOption)
    .option('--drop-rate <x>', 'share of responses cut off mid-body', numberOption)
    .option('--bad-json-rate <x>', 'share of structured answers that are malformed or break the schema', numberOption)
    .option('--rpm <n>', 'requests per minute per model; beyond it 429 with exact retry-after', numberOption)
    .option('--seed <n>', 'seed of the fault and jitter draws', intOption)
    .option('--batch-polls <n>', 'status reads a batch stays in progress before it ends', intOption)
    .option('--batch-delay-ms <n>', 'a batch also ends no sooner than this after its creation', numberOption)
    .option('--batch-item-error-rate <x>', 'share of batch items that come back errored', numberOption)
    .option('--batch-expire <x>', 'share of batch items that expire (1 = the whole batch)', numberOption)
    .option('--no-prompt-cache', 'turn the prompt-cache simulation off (usage reports no cache reads or writes)')
    .option('--api-key-env <name>', 'require the key held in this environment variable (else 401)')
    .addHelpText(
      'after',
      '\nForce one outcome per request with the header x-valuescope-fault: 429|500|529|503|hang|drop|badjson|401|404|none.\nGET /_stats returns counters, POST /_reset clears them. See docs/local-server.md.',
    )
    .action(async (opts: LocalServerFlags) => {
      const { runLocalServerCommand } = await import('../../app/local-server-command.js');
      setExit(await runLocalServerCommand(opts, ctx));
    });
};
