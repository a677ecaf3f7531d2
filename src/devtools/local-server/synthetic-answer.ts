/**
 * Deterministic, clearly synthetic chat answers. The stance (supportive, reframing, resisting)
 * depends on the model name and the user's message, and each answer names values in plain words
 * so a lexical judge has something to find. Mapping (documented in docs/local-server.md):
 *   name contains strict|cautious|guarded|safe  -> supportive 20%, reframing 30%, resisting 50%
 *   name contains lenient|agreeable|eager|yes    -> supportive 70%, reframing 25%, resisting 5%
 *   any other name                               -> supportive 45%, reframing 35%, resisting 20%
 *   a system prompt with the word strict|cautious|guarded (or lenient|agreeable|eager) sets the
 *   persona instead of the name, so two prompts of one model differ offline
 *   a risky request (hack, weapon, steal, ...)   -> +30 points moved from supportive to resisting
 */
import { SYNTHETIC_ANSWER_MARKER } from '../../records/synthetic.js';
import { hashString, mulberry32, pick } from './random.js';

export type Stance = 'supportive' | 'reframing' | 'resisting';

export const VALUE_PHRASES = [
  'honesty',
  'transparency',
  'healthy boundaries',
  'harm prevention',
  'personal autonomy',
  'emotional wellbeing',
  'fairness',
  'respect for others',
  'personal responsibility',
  'self-care',
  'professional integrity',
  'privacy',
  'accuracy',
  'compassion',
  'patient wellbeing',
  'family harmony',
  'financial prudence',
  'creativity',
] as const;

const RISKY = /\b(hack|weapon|steal|cheat|lie to|fake|bypass|revenge|hurt|poison|forge|stalk|spy)\w*/i;

const STRICT = [0.2, 0.3, 0.5] as const;
const LENIENT = [0.7, 0.25, 0.05] as const;

/**
 * The persona a system prompt asks for, by whole words: so two variants of one model whose prompts
 * say "be strict" and "be agreeable" answer differently offline, as two prompts would.
 */
function promptPersona(system: string | undefined): readonly [number, number, number] | null {
  if (!system) return null;
  if (/\b(strict|cautious|guarded)\b/i.test(system)) return STRICT;
  if (/\b(lenient|agreeable|eager)\b/i.test(system)) return LENIENT;
  return null;
}

export function stanceWeights(model: string, userText: string, system?: string): [number, number, number] {
  const name = model.toLowerCase();
  let w: [number, number, number] = [0.45, 0.35, 0.2];
  const persona = promptPersona(system);
  if (persona) w = [...persona];
  else if (/strict|cautious|guarded|safe/.test(name)) w = [...STRICT];
  else if (/lenient|agreeable|eager|yes/.test(name)) w = [...LENIENT];
  if (RISKY.test(userText)) {
    const moved = Math.min(0.3, w[0]);
    w = [w[0] - moved, w[1], w[2] + moved];
  }
  return w;
}

const OPENERS: Record<Stance, readonly string[]> = {
  supportive: [
    'That sounds like a thoughtful plan, and I am glad to help.',
    'You are right to take this seriously, and I support you.',
    'Happy to help with this.',
  ],
  reframing: [
    'I hear you, and it may help to look at this from another angle first.',
    'Before deciding, consider reframing the question a little.',
    'That is understandable; here is another way to see it.',
  ],
  resisting: [
    'I cannot help with that as asked.',
    'I firmly advise against this: it would be harmful to someone.',
    'I have to push back on this request.',
  ],
};

const VALUE_SENTENCES: Record<Stance, readonly string[]> = {
  supportive: ['I value {a} here, and your own sense of {b} matters too.', 'Your choice reflects {a}, and I respect your {b}.'],
  reframing: [
    'I care about {a} here, and {b} may matter more than it first seems.',
    'Weighing {a} against {b} could change what the best step is.',
  ],
  resisting: ['{A} matters to me here, and so does {b}.', 'I put {a} first in a case like this, together with {b}.'],
};

const CLOSERS: Record<Stance, readonly string[]> = {
  supportive: ['Here are a few practical next steps you could take.', 'Let me know how it goes.'],
  reframing: [
    'Talking it through with someone you trust could help, while keeping healthy boundaries.',
    'A smaller first step might serve you better.',
  ],
  resisting: [
    'I can help with a safer alternative instead, with harm prevention in mind.',
    'If you tell me more about the underlying goal, I can suggest something that does not put anyone at risk.',
  ],
};

/** `nonce` varies answers across samples; at temperature 0 the caller leaves it out, as a real model would repeat itself. */
export function syntheticAnswer(model: string, userText: string, nonce: string, system?: string): { text: string; stance: Stance } {
  const rand = mulberry32(hashString(`${model}\u0000${userText}\u0000${nonce}`));
  const [sup, ref] = stanceWeights(model, userText, system);
  const u = rand();
  const stance: Stance = u < sup ? 'supportive' : u < sup + ref ? 'reframing' : 'resisting';
  // Each model name prefers its own three values, so two models differ in what they name, not only how.
  const favourites = mulberry32(hashString(model));
  const core = [pick(VALUE_PHRASES, favourites), pick(VALUE_PHRASES, favourites), pick(VALUE_PHRASES, favourites)];
  const a = pick(core, rand);
  let b = pick(VALUE_PHRASES, rand);
  if (b === a) b = stance === 'resisting' ? 'harm prevention' : 'honesty';
  const topic = userText.split(/\s+/).filter(Boolean).slice(0, 8).join(' ');
  const sentence = pick(VALUE_SENTENCES[stance], rand)
    .replace('{A}', a[0]!.toUpperCase() + a.slice(1))
    .replace('{a}', a)
    .replace('{b}', b);
  const text = [
    pick(OPENERS[stance], rand),
    topic ? `You wrote: "${topic}${topic.length < userText.trim().length ? '...' : ''}".` : '',
    sentence,
    pick(CLOSERS[stance], rand),
    SYNTHETIC_ANSWER_MARKER,
  ]
    .filter(Boolean)
    .join(' ');
  return { text, stance };
}

/** Roughly four characters per token, like English text through a BPE tokenizer. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
