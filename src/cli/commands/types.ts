import type { Command } from 'commander';
import type { AppContext } from '../../core/context.js';

/**
 * A command registration: declares name, flags and help (cheap), and imports its implementation
 * only when it runs. `setExit` records the exit code the command wants.
 */
export type RegisterCommand = (program: Command, ctx: AppContext, setExit: (code: number) => void) => void;
