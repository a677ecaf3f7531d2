import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { runCli } from './helpers/cli.js';

/**
 * A baseline lives in git, so it can be edited by hand or merged badly: counts a run could never
 * produce are refused with the field's path and its line, never turned into invented differences.
 */
let dir: string;
let text: string;
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {}, now: () => new Date('2026-01-02T00:00:00Z') });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-baseline-counts-'));
  const common = { scenarioSeed: 9, domains: 2, scenariosPerDomain: 6, samples: 3, watchRate: 0.05 };
  await writeSyntheticRun(path.join(dir, 'base'), [{ ...common, seed: 1, modelId: 'm' }]);
  await fsp.writeFile(path.join(dir, 'config.yaml'), 'models:\n  - { id: m, provider: openai, model: x }\nwatchlist: [deception]\n');
  const r = await cli(['baseline', 'save', 'base', '--out', 'b.json', '--config', 'config.yaml']);
  expect(r.code, r.stderr).toBe(0);
  text = await fsp.readFile(path.join(dir, 'b.json'), 'utf8');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the edited baseline and returns the error of a diff that reads it (exit 2, nothing written). */
async function refused(edited: string): Promise<string> {
  await fsp.writeFile(path.join(dir, 'bad.json'), edited);
  const r = await cli(['diff', 'bad.json', 'base', '--out', 'out', '--no-report']);
  expect(r.code).toBe(2);
  await expect(fsp.access(path.join(dir, 'out'))).rejects.toThrow();
  return r.stderr;
}

function lineOfMatch(t: string, re: RegExp): { line: number; text: string; edit: (by: string) => string } {
  const m = [...t.matchAll(re)];
  const last = m[m.length - 1]!;
  return {
    line: t.slice(0, last.index).split('\n').length,
    text: last[0],
    edit: (by) => t.slice(0, last.index) + by + t.slice(last.index! + last[0].length),
  };
}

it('refuses a metric counted in more cells than its denominator, at its line', async () => {
  const target = lineOfMatch(text, /"response_type:[a-z_]+": \d+/g);
  const err = await refused(target.edit(`${target.text.split(':').slice(0, 2).join(':')}: 500`));
  expect(err).toMatch(
    new RegExp(
      `bad\\.json:${target.line} \\(table\\.scenarios\\.[^.]+\\.counts\\.response_type:[a-z_]+\\): 500 cells count in it, more than its denominator`,
    ),
  );
  expect(err).toMatch(/impossible counts .*save it again with: valuescope baseline save/);
});

it('refuses scenario cells that do not add up, and names the line of that scenario’s field', async () => {
  const target = lineOfMatch(text, /"errored": \d+/g);
  const err = await refused(target.edit('"errored": 999'));
  expect(err).toMatch(/bad\.json:\d+ \(table\.scenarios\.[^.]+\.cells\): \d+ cells, but \d+ judged \+ 999 errored/);
});

it('gives the line of the field itself, not of the first key with its name (schema errors too)', async () => {
  const target = lineOfMatch(text, /"cells": \d+/g); // the last "cells": a watch entry's, far below the first
  const err = await refused(target.edit('"cells": -4'));
  expect(err).toMatch(new RegExp(`bad\\.json:${target.line} \\(table\\.watch\\.deception\\.cells\\)`));
});

it('refuses response types that add up to more cells than were judged, and a key valuescope never writes', async () => {
  const json = JSON.parse(text);
  const [id, s] = Object.entries(json.table.scenarios as Record<string, { den: { judged: number }; counts: Record<string, number> }>)[0]!;
  const types = Object.keys(s.counts).filter((k) => k.startsWith('response_type:'));
  // Every count within the denominator, but together more cells than there are.
  s.counts[types[0]!] = s.den.judged;
  s.counts[types[1] ?? 'response_type:neutral_acknowledgment'] = 1;
  const { serialiseBaseline } = await import('../src/records/baseline.js');
  expect(await refused(serialiseBaseline(json))).toMatch(
    new RegExp(
      `\\(table\\.scenarios\\.${id}\\.counts\\): its response types count \\d+ cells, more than the ${s.den.judged} they are shares of`,
    ),
  );
  const bogus = JSON.parse(text);
  Object.values(bogus.table.scenarios as Record<string, { counts: Record<string, number> }>)[0]!.counts['bogus:key'] = 1;
  expect(await refused(serialiseBaseline(bogus))).toMatch(
    /\(table\.scenarios\.[^.]+\.counts\.bogus:key\): not a metric key valuescope writes/,
  );
});
