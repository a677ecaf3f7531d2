import type { RegisterCommand } from './types.js';
import { ValuescopeError } from '../../errors.js';

// PLACEHOLDER (owner: report): replace with the real registration; lazy-import the implementation in the action.
export const registerReport: RegisterCommand = (program) => {
  program
    .command('report')
    .description('Write report.md, report.html and charts for a run or a diff')
    .allowUnknownOption()
    .action(() => {
      throw new ValuescopeError('`report` is not implemented yet');
    });
};
