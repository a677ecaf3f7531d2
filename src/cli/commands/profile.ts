import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: analysis): replace with the real registration; lazy-import the implementation in the action.
export const registerProfile: RegisterCommand = (program) => {
  program
    .command('profile')
    .description('Build the value profile of a run')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`profile` is not implemented yet');
    });
};
