import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: runner): replace with the real registration; lazy-import the implementation in the action.
export const registerSchema: RegisterCommand = (program) => {
  program
    .command('schema')
    .description('Print the JSON Schema of config.yaml')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`schema` is not implemented yet');
    });
};
