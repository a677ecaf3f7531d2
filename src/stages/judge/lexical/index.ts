export { createLexicalJudge, lexicalInputOf } from './lexical-judge.js';
export { lexicalJudgment, builtinPhraseSet, type LexicalInput } from './lexical-judgment.js';
export { PhraseSet, statedUserValues } from './values.js';
export { LEXICAL_VERSION } from './cues.js';
