/**
 * Two-sided quantile of Student's t with an integer number of degrees of freedom: the t with
 * P(|T| <= t) = level. The central probability has a closed form for integer df (Abramowitz and
 * Stegun 26.7.3-4); the quantile is found by bisection and cached, since one (level, df) pair serves
 * every metric of a section.
 */
const cache = new Map<string, number>();

/** P(|T| <= t) for Student's t with integer df (t >= 0; a negative t is taken as |t|). */
export function centralProbability(t: number, df: number): number {
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df));
  const c2 = Math.cos(theta) ** 2;
  let sum = 1;
  let term = 1;
  if (df % 2 === 1) {
    if (df === 1) return (2 * theta) / Math.PI;
    for (let k = 3; k <= df - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    return (2 / Math.PI) * (theta + Math.sin(theta) * Math.cos(theta) * sum);
  }
  for (let k = 2; k <= df - 2; k += 2) {
    term *= (c2 * (k - 1)) / k;
    sum += term;
  }
  return Math.sin(theta) * sum;
}

export function studentTQuantile(level: number, df: number): number {
  const nu = Math.max(1, Math.floor(df));
  const key = `${level}:${nu}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let lo = 0;
  let hi = 1e7;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, lo); i++) {
    const mid = (lo + hi) / 2;
    if (centralProbability(mid, nu) < level) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  cache.set(key, t);
  return t;
}
