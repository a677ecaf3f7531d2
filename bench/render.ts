/** Re-renders BENCHMARKS.md from bench/.scratch/last-run.json (the figures of the last `npm run bench`). */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchResults, renderBenchmarks } from './lib/report.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const results = JSON.parse(await readFile(path.join(repo, 'bench', '.scratch', 'last-run.json'), 'utf8')) as BenchResults;
await writeFile(path.join(repo, 'BENCHMARKS.md'), renderBenchmarks(results));
