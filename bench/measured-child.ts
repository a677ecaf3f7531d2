import { main } from '../src/cli/main.js';
import { defaultContext } from '../src/core/context.js';

/** Runs one valuescope command in this process, then prints its exit code, peak RSS and CPU time as the last stdout line (bench/lib/measured-child.ts reads it). */
const code = await main(process.argv.slice(2), defaultContext(new AbortController().signal));
const usage = process.resourceUsage();
process.stdout.write(`\n${JSON.stringify({ code, maxRssKB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 })}\n`);
process.exitCode = code;
