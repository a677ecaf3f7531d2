export { createLexicalJudge } from './lexical-judge.js';
export { builtinPhraseSet, lexicalJudgment } from './lexical-judgment.js';
export { PhraseSet, statedUserValues } from './values.js';
