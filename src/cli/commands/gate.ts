import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: analysis): replace with the real registration; lazy-import the implementation in the action.
export const registerGate: RegisterCommand = (program) => {
  program
    .command('gate')
    .description('Fail when a model value profile drifts beyond the configured rules')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`gate` is not implemented yet');
    });
};
