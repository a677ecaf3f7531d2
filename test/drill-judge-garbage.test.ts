import { describe, expect, it } from 'vitest';
import { judgeGarbageDrill } from '../bench/drills/judge-garbage.js';

describe('drill: judge output garbage for 20% of calls', () => {
  it('repairs once, then records errors; the profile counts them and says so', async () => {
    const r = await judgeGarbageDrill({ scenarios: 50, samples: 2, badJsonRate: 0.2, seed: 9 });
    expect(r.runExit).toBe(0);
    expect(r.judgments).toBe(100);
    const bad = r.judgeStats.byFault.badjson ?? 0;
    expect(bad).toBeGreaterThan(8);
    // One repair turn per bad first answer; a second bad answer becomes a recorded judge_output error.
    expect(r.repairCalls).toBeGreaterThan(0);
    expect(r.repairCalls + r.judgeErrors).toBe(bad);
    expect(r.judgeErrors).toBeGreaterThan(0);
    expect(Object.keys(r.judgeErrorKinds)).toEqual(['judge_output']);
    expect(r.judgeExit).toBe(3);
    // The profile counts the failed judgments as errored, excludes them from shares, and says so.
    expect(r.profileExit).toBe(0);
    expect(r.profile?.errored).toBe(r.judgeErrors);
    expect(r.profile?.judged).toBe(100 - r.judgeErrors);
    expect(r.profile?.errorKinds.judge_output).toBe(r.judgeErrors);
    expect(r.profile?.notes.join('\n')).toMatch(new RegExp(`${r.judgeErrors} of 100 cells errored`));
    expect(r.profileStdout).toMatch(/errored/);
  }, 40_000);
});
