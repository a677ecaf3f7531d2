import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: analysis): replace with the real registration; lazy-import the implementation in the action.
export const registerDiff: RegisterCommand = (program) => {
  program
    .command('diff')
    .description('Compare two profiles, paired by scenario')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`diff` is not implemented yet');
    });
};
