// One `POST /prove` to one prover Pod, never throwing: every ending is a ProveOutcome.
import { classifyResponse } from './classify.js';
import { infraReasons, type ProveBody, type ProveOutcome } from './types.js';

/** Where and how to reach one prover Pod. */
export interface ProverTarget {
  /** Base URL, e.g. `http://127.42.0.7:8088`. */
  readonly url: string;
  readonly token: string;
}

/** Extra time beyond the proof's own timeout before the operator gives up on a silent prover. */
const responseGraceMs = 30_000;

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

/** Posts a proof to a prover Pod; `signal` cancels it (a new generation, a deletion, shutdown). */
export async function postProve(target: ProverTarget, body: ProveBody, signal: AbortSignal): Promise<ProveOutcome> {
  const timeout = AbortSignal.timeout((body.timeoutMs ?? 30_000) + responseGraceMs);
  const combined = AbortSignal.any([signal, timeout]);
  try {
    const response = await fetch(`${target.url}/prove`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
      body: JSON.stringify(body),
      signal: combined,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = undefined;
    }
    return classifyResponse(response.status, parsed, response.headers.get('retry-after'));
  } catch (err) {
    if (signal.aborted) return { kind: 'aborted' };
    if (timeout.aborted) return { kind: 'infra', reason: infraReasons.timeout, message: 'the prover did not answer in time' };
    return { kind: 'infra', reason: infraReasons.unreachable, message: `the prover could not be reached: ${describeError(err)}` };
  }
}

/** Reads `GET /version` of a prover Pod; undefined when it cannot be read. */
export async function getVersion(url: string, signal: AbortSignal): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await fetch(`${url}/version`, { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) });
    if (!response.ok) return undefined;
    const body = await response.json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
