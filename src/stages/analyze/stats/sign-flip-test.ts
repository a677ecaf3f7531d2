import type { Rng } from './prng.js';

/**
 * Random whole-side swaps per scenario (R x S, scenario-major), for the Jensen-Shannon distance
 * permutation test: under H0 the two sides' blocks of a scenario are exchangeable, so swapping them
 * leaves the data's distribution unchanged. Drawn once and shared by every distance tested.
 */
export class SignFlips {
  readonly signs: Int8Array;

  constructor(
    readonly clusters: number,
    readonly resamples: number,
    rng: Rng,
  ) {
    this.signs = new Int8Array(resamples * clusters);
    for (let i = 0; i < this.signs.length; i++) this.signs[i] = rng.next() < 0.5 ? -1 : 1;
  }

  /** Whether scenario s is swapped in resample r. */
  swapped(r: number, s: number): boolean {
    return (this.signs[s * this.resamples + r] as number) < 0;
  }
}
