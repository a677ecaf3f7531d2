/**
 * One error hierarchy for the whole tool. Every subclass carries the structured fields a caller
 * needs to act on it, and a message that says how to fix the problem. The CLI boundary maps
 * `exitCode` to the process exit code; nothing below it calls process.exit.
 */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2, runErrors: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class ValuescopeError extends Error {
  readonly exitCode: ExitCode = EXIT.usage;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where in a file a problem is. `line`/`column` are 1-based. `path` is the field path, e.g. `models[1].temperature`. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  path?: string;
}

export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  if (loc.path) s += ` (${loc.path})`;
  return s;
}

/** Bad command-line usage: unknown flag, missing argument. */
export class UsageError extends ValuescopeError {}

/** One or more problems in a config, scenario, judge or input file. */
export class ConfigError extends ValuescopeError {
  readonly problems: readonly (SourceLocation & { message: string })[];
  constructor(problems: readonly (SourceLocation & { message: string })[], headline?: string) {
    const lines = problems.map((p) => `  ${formatLocation(p)}: ${p.message}`);
    super(`${headline ?? `${problems.length} problem${problems.length === 1 ? '' : 's'} found`}:\n${lines.join('\n')}`);
    this.problems = problems;
  }
  get file(): string | undefined {
    return this.problems[0]?.file;
  }
  get line(): number | undefined {
    return this.problems[0]?.line;
  }
  get path(): string | undefined {
    return this.problems[0]?.path;
  }
}

/** Input data (transcripts, judgments, imports) that cannot be read. */
export class InputError extends ValuescopeError {
  constructor(
    message: string,
    readonly location?: SourceLocation,
    options?: { cause?: unknown },
  ) {
    super(location ? `${formatLocation(location)}: ${message}` : message, options);
  }
}

/** A missing API key or similar environment problem. */
export class EnvironmentError extends ValuescopeError {}

/**
 * Why a model call failed, normalised across vendors. `http_<status>` keeps any other HTTP status;
 * `aborted` means we stopped it (Ctrl-C or shutdown), never the server.
 */
export type ProviderErrorKind =
  | 'timeout'
  | 'aborted'
  | 'auth'
  | 'model_not_found'
  | 'bad_request'
  | 'request_too_large'
  | 'connection_error'
  | 'connection_refused'
  | 'connection_reset'
  | 'replay_miss'
  | 'internal'
  /** Batch mode: the item of a batch came back errored, expired, cancelled, or not at all. */
  | 'batch_errored'
  | 'batch_expired'
  | 'batch_canceled'
  | 'batch_missing'
  | `http_${number}`;

/** A failed model call, normalised across vendors. `retryable` drives the single retry layer. */
export class ProviderError extends ValuescopeError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly requestId: string | undefined;
  /** Seconds the server asked us to wait (retry-after / retry-after-ms), if any. */
  readonly retryAfterMs: number | undefined;
  /** Short machine-readable cause, one of ProviderErrorKind. */
  readonly kind: ProviderErrorKind;
  constructor(
    message: string,
    fields: {
      kind: ProviderErrorKind;
      status?: number | undefined;
      retryable: boolean;
      requestId?: string | undefined;
      retryAfterMs?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(message, { cause: fields.cause });
    this.kind = fields.kind;
    this.status = fields.status;
    this.retryable = fields.retryable;
    this.requestId = fields.requestId;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** A judge answered with something that is not a valid judgment, even after repair. */
export class JudgeOutputError extends ValuescopeError {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message);
  }
}

/** Two results cannot be compared (different suite, different judge) without an explicit override. */
export class ComparabilityError extends ValuescopeError {}

/** The run store cannot be written (read-only, disk full). The run can be resumed once fixed. */
export class StorageError extends ValuescopeError {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Who holds a directory's write lock, as recorded in its lock (see records/dir-lock.ts). */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

/** Another process is writing the same run or diff directory. */
export class DirectoryLockedError extends ValuescopeError {
  constructor(
    message: string,
    readonly dir: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
  }
}

/** True when a model call ended because we aborted it (Ctrl-C or shutdown), not because it failed. */
export function isAbortedCall(err: unknown): err is ProviderError {
  return err instanceof ProviderError && err.kind === 'aborted';
}

/**
 * Thrown when Ctrl-C stopped a judge call: the cell gets no judgment line, so a later `judge` or
 * `--resume` judges it. Not a failure of the judge.
 */
export class JudgingInterrupted extends ValuescopeError {}
