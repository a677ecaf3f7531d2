import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: judge): replace with the real registration; lazy-import the implementation in the action.
export const registerJudge: RegisterCommand = (program) => {
  program
    .command('judge')
    .description('Judge (or re-judge) the transcripts of a run')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`judge` is not implemented yet');
    });
};
