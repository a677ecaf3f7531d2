import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: judge): replace with the real registration; lazy-import the implementation in the action.
export const registerImport: RegisterCommand = (program) => {
  program
    .command('import')
    .description('Turn existing conversations into a run directory')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`import` is not implemented yet');
    });
};
