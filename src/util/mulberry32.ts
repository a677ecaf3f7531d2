/**
 * mulberry32: a small uniform [0, 1) generator from a 32-bit seed. One copy for everything that must
 * replay from a recorded seed (a labelling draw, judge-check's bootstrap, the local test server):
 * its output for a seed must never change, or recorded draws and test expectations would.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
