import {
  ComparabilityError,
  ConfigError,
  DirectoryLockedError,
  EnvironmentError,
  InputError,
  JudgeOutputError,
  JudgingInterrupted,
  ProviderError,
  StorageError,
  UsageError,
  ValuescopeError,
} from './errors.js';

/** An error as it can cross a worker-thread boundary (structured clone keeps data, not classes). */
export interface TransferredError {
  name: string;
  message: string;
  stack?: string | undefined;
  /** The error's own data fields (exitCode, location, file, problems, ...). */
  fields: Record<string, unknown>;
}

const CLASSES: Record<string, { prototype: Error }> = {
  ValuescopeError,
  UsageError,
  ConfigError,
  DirectoryLockedError,
  InputError,
  EnvironmentError,
  ProviderError,
  JudgeOutputError,
  ComparabilityError,
  StorageError,
  JudgingInterrupted,
};

function cloneable(v: unknown): boolean {
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
}

export function toTransferable(e: unknown): TransferredError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (k !== 'cause' && cloneable(v)) fields[k] = v;
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

/**
 * Rebuilds the error on this side with its own class, so the CLI boundary maps it to the same exit
 * code and message as if it had been thrown here (an InputError stays exit 2, not "a bug").
 */
export function fromTransferable(t: TransferredError): Error {
  const cls = CLASSES[t.name];
  const err: Error = cls ? Object.create(cls.prototype) : new Error(t.message);
  Object.assign(err, t.fields);
  Object.defineProperty(err, 'message', { value: t.message, writable: true, configurable: true });
  Object.defineProperty(err, 'name', { value: t.name, writable: true, configurable: true });
  if (t.stack !== undefined) Object.defineProperty(err, 'stack', { value: t.stack, writable: true, configurable: true });
  return err;
}
