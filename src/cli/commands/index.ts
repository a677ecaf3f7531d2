import { registerBaseline } from './baseline.js';
import { registerCache } from './cache.js';
import { registerDemo } from './demo.js';
import { registerDiff } from './diff.js';
import { registerGate } from './gate.js';
import { registerHistory } from './history.js';
import { registerImport } from './import.js';
import { registerJudge } from './judge.js';
import { registerJudgeCheck } from './judge-check.js';
import { registerLabel } from './label.js';
import { registerLocalServer } from './local-server.js';
import { registerMerge } from './merge.js';
import { registerPlan } from './plan.js';
import { registerProfile } from './profile.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSchema } from './schema.js';
import { registerTaxonomy } from './taxonomy.js';
import type { RegisterCommand } from './types.js';
import { registerValidate } from './validate.js';

/** Every CLI command, in the order `--help` lists them. Adding a command = one file + one line here. */
export const COMMANDS: RegisterCommand[] = [
  registerValidate,
  registerPlan,
  registerRun,
  registerJudge,
  registerMerge,
  registerProfile,
  registerDiff,
  registerGate,
  registerBaseline,
  registerHistory,
  registerReport,
  registerImport,
  registerJudgeCheck,
  registerLabel,
  registerTaxonomy,
  registerCache,
  registerSchema,
  registerLocalServer,
  registerDemo,
];
