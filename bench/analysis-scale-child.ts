import { main } from '../src/cli/main.js';
import { defaultContext } from '../src/core/context.js';

/** Runs one valuescope command in this process, then prints its peak RSS as the last stdout line. */
const code = await main(process.argv.slice(2), defaultContext(new AbortController().signal));
const usage = process.resourceUsage();
process.stdout.write(`\n${JSON.stringify({ code, maxRssKB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 })}\n`);
process.exitCode = code;
