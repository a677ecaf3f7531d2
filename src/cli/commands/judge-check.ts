import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: judge): replace with the real registration; lazy-import the implementation in the action.
export const registerJudgeCheck: RegisterCommand = (program) => {
  program
    .command('judge-check')
    .description('Measure a judge against gold labels')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`judge-check` is not implemented yet');
    });
};
