import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: runner): replace with the real registration; lazy-import the implementation in the action.
export const registerRun: RegisterCommand = (program) => {
  program
    .command('run')
    .description('Replay the scenario suite against the configured models')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`run` is not implemented yet');
    });
};
