// Turns an HTTP exchange with a prover Pod into a verdict or an infrastructure failure, once, at the boundary.
import { infraReasons, type ProveOutcome, type ProveResponse } from './types.js';

const verdictPhases = new Set(['Proved', 'Refuted', 'Failed', 'Rejected']);

/** Reads `Retry-After` (seconds) into milliseconds, bounded to a sane range. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds, 300) * 1000;
}

function readErrorBody(body: unknown): { code: string; message: string } {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = body.error;
    if (typeof error === 'object' && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return { code: typeof code === 'string' ? code : 'BadRequest', message: typeof message === 'string' ? message : 'the prover refused the request' };
    }
  }
  return { code: 'BadRequest', message: 'the prover refused the request' };
}

function toReason(code: string): string {
  const camel = code.replace(/(^|[_\-\s]+)([a-zA-Z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
  return /^[A-Z][A-Za-z0-9]*$/.test(camel) ? camel : 'BadRequest';
}

function isProveResponse(body: unknown): body is ProveResponse {
  if (typeof body !== 'object' || body === null) return false;
  const { verdict, ok } = body as { verdict?: unknown; ok?: unknown };
  return typeof verdict === 'string' && typeof ok === 'boolean';
}

/** Classifies a prover's HTTP status and parsed JSON body (undefined when it was not JSON). */
export function classifyResponse(status: number, body: unknown, retryAfter: string | null): ProveOutcome {
  if (status === 200) {
    if (!isProveResponse(body)) return { kind: 'infra', reason: infraReasons.badResponse, message: 'the prover answered 200 without a verdict' };
    if (!verdictPhases.has(body.verdict)) {
      return { kind: 'infra', reason: infraReasons.serverError, message: `the prover could not check the request: ${body.message ?? body.verdict}` };
    }
    return { kind: 'verdict', response: body };
  }
  if (status === 400 || status === 413 || status === 422) {
    const { code, message } = readErrorBody(body);
    const reason = status === 413 ? 'TooLarge' : toReason(code);
    return { kind: 'verdict', response: { verdict: 'Rejected', ok: false, reason, message, messages: [message] } };
  }
  if (status === 401 || status === 403) {
    return { kind: 'infra', reason: infraReasons.unauthorized, message: `the prover refused the operator's token (HTTP ${status})` };
  }
  const retryAfterMs = parseRetryAfter(retryAfter);
  const reason = status === 503 || status === 429 ? infraReasons.busy : infraReasons.serverError;
  const base = { kind: 'infra', reason, message: `the prover answered HTTP ${status}` } as const;
  return retryAfterMs === undefined ? base : { ...base, retryAfterMs };
}
