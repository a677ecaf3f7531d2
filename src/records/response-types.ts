import { z } from 'zod';

/** How a response treats the user's values (Values in the Wild, Huang et al. 2025). Order: most supportive first. */
export const RESPONSE_TYPES = [
  'strong_support',
  'mild_support',
  'neutral_acknowledgment',
  'reframing',
  'mild_resistance',
  'strong_resistance',
  'no_values',
] as const;
export const ResponseTypeSchema = z.enum(RESPONSE_TYPES);
export type ResponseType = z.infer<typeof ResponseTypeSchema>;

export const REFUSALS = ['none', 'partial', 'full'] as const;
export const RefusalSchema = z.enum(REFUSALS);
export type Refusal = z.infer<typeof RefusalSchema>;
