import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: judge): replace with the real registration; lazy-import the implementation in the action.
export const registerTaxonomy: RegisterCommand = (program) => {
  program
    .command('taxonomy')
    .description('Taxonomy tools: pull the published tree, show coverage')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`taxonomy` is not implemented yet');
    });
};
