import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: runner): replace with the real registration; lazy-import the implementation in the action.
export const registerValidate: RegisterCommand = (program) => {
  program
    .command('validate')
    .description('Check config.yaml and the scenario suite; list every problem')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`validate` is not implemented yet');
    });
};
