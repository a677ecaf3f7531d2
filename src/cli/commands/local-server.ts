import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: providers): replace with the real registration; lazy-import the implementation in the action.
export const registerLocalServer: RegisterCommand = (program) => {
  program
    .command('local-server')
    .description('Start the local Anthropic/OpenAI-compatible test server on 127.0.0.1')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`local-server` is not implemented yet');
    });
};
