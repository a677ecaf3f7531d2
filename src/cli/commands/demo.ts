import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: runner): replace with the real registration; lazy-import the implementation in the action.
export const registerDemo: RegisterCommand = (program) => {
  program
    .command('demo')
    .description('Offline end-to-end demo against the local server (synthetic data, no keys)')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`demo` is not implemented yet');
    });
};
