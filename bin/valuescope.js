#!/usr/bin/env node
// Thin launcher: all logic lives in dist/src/cli (compiled by `npm install` via the prepare script).
import { main } from '../dist/src/cli/main.js';
import { defaultContext } from '../dist/src/core/context.js';

// `valuescope ... | head` closes the pipe early: that is the reader's choice, not an error. The
// context's outputs then drop what is written (core/context.ts) and the command finishes its work.

// A file-size limit (ulimit -f) must surface as EFBIG, a storage error with its fix (exit 2), as it
// does in Node by default. signal-exit, which proper-lockfile uses to drop locks at exit, turns
// SIGXFSZ into a kill when it is the only listener; this listener keeps Node's default.
process.on('SIGXFSZ', () => {});

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts === 1) {
    process.stderr.write('\nvaluescope: stopping after in-flight requests (Ctrl-C again to quit at once)\n');
    controller.abort();
  } else {
    process.exit(130);
  }
});
process.on('SIGTERM', () => controller.abort());

const code = await main(process.argv.slice(2), defaultContext(controller.signal));
process.exitCode = code;
