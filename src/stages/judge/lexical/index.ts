export { LEXICAL_VERSION } from './cues.js';
export { createLexicalJudge, lexicalInputOf } from './lexical-judge.js';
export { builtinPhraseSet, type LexicalInput, lexicalJudgment } from './lexical-judgment.js';
export { PhraseSet, statedUserValues } from './values.js';
