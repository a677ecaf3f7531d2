import type { ResolvedOptions } from './options.js';

export type Fault = 'none' | '429' | '500' | 'overload' | 'hang' | 'drop' | 'badjson' | '401' | '404';

const FORCIBLE: Record<string, Fault> = {
  '429': '429',
  '500': '500',
  '529': 'overload',
  '503': 'overload',
  overload: 'overload',
  hang: 'hang',
  drop: 'drop',
  badjson: 'badjson',
  '401': '401',
  '404': '404',
  none: 'none',
};

/** `x-valuescope-fault: 429|500|529|503|hang|drop|badjson|401|404|none` forces one outcome for exact tests. */
export function forcedFault(header: string | string[] | undefined): Fault | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  return v === undefined ? undefined : FORCIBLE[v.trim().toLowerCase()];
}

/**
 * One uniform draw picks at most one fault; the rates are stacked so they add up, in a fixed order.
 * `badjson` only applies to structured-output requests (it needs a schema to violate).
 */
export function drawFault(u: number, o: ResolvedOptions, structured: boolean): Fault {
  let edge = 0;
  const steps: [number, Fault][] = [
    [o.hangRate, 'hang'],
    [o.dropRate, 'drop'],
    [o.rate429, '429'],
    [o.errorRate, '500'],
    [o.overloadRate, 'overload'],
  ];
  for (const [rate, fault] of steps) {
    edge += rate;
    if (u < edge) return fault;
  }
  // A second, independent slice of the same draw: badjson is not exclusive with "no HTTP fault" above.
  if (structured && o.badJsonRate > 0 && (u - edge) / Math.max(1e-12, 1 - edge) < o.badJsonRate) return 'badjson';
  return 'none';
}
