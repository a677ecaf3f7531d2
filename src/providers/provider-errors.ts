import { isAbortedCall, ProviderError, type ProviderErrorKind } from '../core/errors.js';
import { redactSecrets } from './redact.js';
import { type HeaderSource, parseRetryAfterMs } from './retry-after.js';

/** What an adapter knows when a call fails; `secrets` are scrubbed from every message. */
export interface ErrorContext {
  provider: string;
  model: string;
  keyEnv: string;
  secrets: readonly string[];
  now?: () => number;
}

/** The error classes both official SDKs export under the same names. */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

interface SdkApiErrorShape {
  status?: number;
  headers?: HeaderSource;
  requestID?: string | null;
  error?: unknown;
  message: string;
}

/**
 * Turns whatever an SDK call threw into one ProviderError. Abort is checked first: an aborted
 * request must never look retryable, whatever the SDK wrapped it in.
 */
export function normaliseSdkError(err: unknown, ctx: ErrorContext, classes: SdkErrorClasses, signal?: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal?.aborted || err instanceof classes.APIUserAbortError) return abortedError(ctx, signal?.reason);
  if (err instanceof classes.APIConnectionTimeoutError) {
    return new ProviderError(`${ctx.provider} request for ${ctx.model} timed out in the SDK`, { kind: 'timeout', retryable: true });
  }
  if (err instanceof classes.APIError) {
    const e = err as unknown as SdkApiErrorShape;
    if (typeof e.status === 'number') return fromHttpStatus(ctx, e.status, apiMessageOf(e), e.headers, e.requestID ?? undefined);
  }
  return fromNetworkError(ctx, err);
}

/** Aborted through the request's signal. `cause` is the signal's reason so callers can tell a timeout from Ctrl-C. */
function abortedError(ctx: ErrorContext, reason: unknown): ProviderError {
  return new ProviderError(`${ctx.provider} request for ${ctx.model} was aborted`, { kind: 'aborted', retryable: false, cause: reason });
}

/**
 * True when an 'aborted' ProviderError was aborted by a timeout: the runner aborts with
 * `AbortSignal.timeout(ms)` (or `controller.abort(new DOMException(msg, 'TimeoutError'))`) for
 * timeouts, and with anything else (plain `abort()`) for Ctrl-C.
 */
export function isTimeoutAbort(err: unknown): boolean {
  if (!isAbortedCall(err)) return false;
  const cause = err.cause as { name?: unknown } | undefined;
  return cause?.name === 'TimeoutError';
}

export function fromHttpStatus(
  ctx: ErrorContext,
  status: number,
  apiMessage: string,
  headers: HeaderSource | undefined,
  requestId: string | undefined,
): ProviderError {
  const detail = redactSecrets(apiMessage, ctx.secrets);
  const fields = { status, requestId, retryAfterMs: parseRetryAfterMs(headers, ctx.now?.()) };
  const where = `${ctx.provider} ${ctx.model}`;
  if (status === 401 || status === 403) {
    return new ProviderError(
      `${where}: the API key was rejected (${status}: ${detail}); set ${ctx.keyEnv} or \`apiKeyEnv\` in config.yaml to a valid key`,
      { ...fields, kind: 'auth', retryable: false },
    );
  }
  if (status === 404) {
    return new ProviderError(
      `${where}: not found (404: ${detail}); check the model name in config.yaml (current names: docs/providers.md) and the baseURL`,
      { ...fields, kind: 'model_not_found', retryable: false },
    );
  }
  const retryable = status === 408 || status === 409 || status === 429 || (status >= 500 && status <= 599);
  if (retryable) return new ProviderError(`${where}: HTTP ${status}: ${detail}`, { ...fields, kind: `http_${status}`, retryable: true });
  const kind: ProviderErrorKind =
    status === 400 || status === 422 ? 'bad_request' : status === 413 ? 'request_too_large' : `http_${status}`;
  return new ProviderError(
    `${where}: request rejected (HTTP ${status}: ${detail}); check the request settings (maxTokens, temperature, topP) for this model`,
    {
      ...fields,
      kind,
      retryable: false,
    },
  );
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Connection-level failures (no HTTP status): all retryable, named by the deepest cause we recognise. */
function fromNetworkError(ctx: ErrorContext, err: unknown): ProviderError {
  const chain: { code?: unknown; message?: unknown; name?: unknown }[] = [];
  for (let e: unknown = err, i = 0; e && typeof e === 'object' && i < 6; e = (e as { cause?: unknown }).cause, i++) chain.push(e as never);
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : ''));
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).join(' | ');
  let kind: ProviderErrorKind = 'connection_error';
  if (codes.includes('ECONNREFUSED')) kind = 'connection_refused';
  else if (codes.some((c) => RESET_CODES.has(c)) || /terminated|other side closed|socket hang up/i.test(messages))
    kind = 'connection_reset';
  else if (codes.some((c) => TIMEOUT_CODES.has(c))) kind = 'timeout';
  const detail = redactSecrets(messages || String(err), ctx.secrets);
  const name = chain[0]?.name;
  return new ProviderError(`${ctx.provider} ${ctx.model}: ${kind.replace('_', ' ')} (${detail})`, {
    kind,
    retryable: true,
    cause: typeof name === 'string' ? { name, code: codes.find((c) => c) } : undefined,
  });
}

function apiMessageOf(e: SdkApiErrorShape): string {
  const body = e.error as { error?: { message?: unknown }; message?: unknown } | undefined;
  const m = body?.error?.message ?? body?.message;
  return typeof m === 'string' ? m : e.message;
}
