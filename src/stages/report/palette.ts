import type { ResponseType } from '../../records/response-types.js';

/** Okabe-Ito: distinguishable under the common colour-vision deficiencies. */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#999999',
  black: '#000000',
} as const;

/**
 * Model colours. A model's colour depends on its id, not on its position in a list: the run report
 * lists models in config order, the diff report base then candidate, and a model must look the same
 * in both. The first six are preferred slots (an id hashes to one); yellow and black only take
 * collisions, being the weakest on white and the least distinct from the whiskers.
 */
const MODEL_SLOTS = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
  OKABE_ITO.black,
];
const PREFERRED_SLOTS = 6;

/** The published Values in the Wild reference series is always grey. */
export const REFERENCE_COLOUR = OKABE_ITO.grey;

/** "m (base)" and "m (candidate)" (one model id on both diff sides) share the model's preferred slot. */
const SIDE_SUFFIX = / \((base|candidate)\)$/;

/** FNV-1a: stable across runs and platforms, unlike anything seeded. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Each id gets the slot its hash prefers; on a collision the later id (sorted order, so the input
 * order never matters) takes the next free slot. With more ids than slots, colours repeat.
 */
export function modelColours(modelIds: readonly string[]): Map<string, string> {
  const ids = [...new Set(modelIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const used = new Set<number>();
  const out = new Map<string, string>();
  for (const id of ids) {
    let slot = hash(id.replace(SIDE_SUFFIX, '')) % PREFERRED_SLOTS;
    while (used.has(slot) && used.size < MODEL_SLOTS.length) slot = (slot + 1) % MODEL_SLOTS.length;
    used.add(slot);
    out.set(id, MODEL_SLOTS[slot] ?? OKABE_ITO.black);
  }
  return out;
}

/** Support in blues/greens, resistance in warm colours, neutral and no-values in greys. */
export const RESPONSE_TYPE_COLOURS: Record<ResponseType, string> = {
  strong_support: OKABE_ITO.blue,
  mild_support: OKABE_ITO.skyBlue,
  neutral_acknowledgment: '#BBBBBB',
  reframing: OKABE_ITO.green,
  mild_resistance: OKABE_ITO.orange,
  strong_resistance: OKABE_ITO.vermillion,
  no_values: '#E6E6E6',
};

export function responseTypeLabel(t: string): string {
  return t.replace(/_/g, ' ');
}
