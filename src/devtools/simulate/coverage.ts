import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { ClusterBootstrap } from '../../stages/analyze/stats/cluster-bootstrap.js';
import { createRng } from '../../stages/analyze/stats/prng.js';
import { percentileInterval } from '../../stages/analyze/stats/quantile.js';
import { beta, betaForMeanIcc, binomial } from './random-variates.js';

/**
 * Coverage of the population mean by (a) the cluster-bootstrap percentile interval and (b) the naive
 * iid Wald interval that treats every cell as independent, over `replicates` simulated suites of
 * `scenarios` scenarios x `samples` cells with beta-distributed per-scenario rates.
 */
export function intervalCoverage(o: {
  mean: number;
  icc: number;
  scenarios: number;
  samples: number;
  replicates: number;
  resamples: number;
  seed: number;
}): { bootstrap: number; naive: number } {
  const rng = createRng(o.seed);
  const [a, b] = betaForMeanIcc(o.mean, o.icc);
  const z = normalQuantile(0.975, 0, 1);
  let boot = 0;
  let naive = 0;
  for (let rep = 0; rep < o.replicates; rep++) {
    const k = Array.from({ length: o.scenarios }, () => binomial(o.samples, beta(a, b, rng), rng));
    const n = o.scenarios * o.samples;
    const p = k.reduce((x, y) => x + y, 0) / n;
    const half = z * Math.sqrt((p * (1 - p)) / n);
    if (Math.abs(p - o.mean) <= half) naive++;
    const bs = new ClusterBootstrap(new Array<number>(o.scenarios).fill(0), o.resamples, rng);
    const idx = k.map((_, i) => i);
    const draws = bs.sums(idx, k);
    for (let r = 0; r < draws.length; r++) draws[r] = (draws[r] as number) / n;
    const iv = percentileInterval(draws, 0.95);
    if (iv && iv[0] <= o.mean && o.mean <= iv[1]) boot++;
  }
  return { bootstrap: boot / o.replicates, naive: naive / o.replicates };
}
