import { main } from '../src/cli/main.js';
import { defaultContext } from '../src/cli/context.js';

/** Runs one valuescope command in this process, then prints its peak RSS as the last stdout line. */
const code = await main(process.argv.slice(2), defaultContext(new AbortController().signal));
process.stdout.write(`\n${JSON.stringify({ code, maxRssKB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
