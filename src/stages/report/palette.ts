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

/** Model colours in a fixed order, so a model keeps its colour across every chart of a report. */
const MODEL_ORDER = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
];

/** The published Values in the Wild reference series is always grey. */
export const REFERENCE_COLOUR = OKABE_ITO.grey;

export function modelColours(modelIds: readonly string[]): Map<string, string> {
  return new Map(modelIds.map((id, i) => [id, MODEL_ORDER[i % MODEL_ORDER.length] ?? OKABE_ITO.black]));
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
