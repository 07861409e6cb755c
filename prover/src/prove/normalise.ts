// Normalisation of a proof request and its content digest, the cache key.
import { createHash } from 'node:crypto';

/** A request after normalisation: the exact text that is checked and digested. */
export interface NormalisedRequest {
  readonly goal?: string;
  readonly statement?: string;
  readonly proof?: string;
  readonly source?: string;
  readonly theorem?: string;
  /** Sorted and without duplicates: the set of allowed axioms, not a list. */
  readonly allowedAxioms: readonly string[];
}

/** The fields of a request that decide its verdict. */
export interface RequestText {
  readonly goal?: string | undefined;
  readonly statement?: string | undefined;
  readonly proof?: string | undefined;
  readonly source?: string | undefined;
  readonly theorem?: string | undefined;
  readonly allowedAxioms?: readonly string[] | undefined;
}

/**
 * Normalises line endings and surrounding whitespace, and turns allowedAxioms into a sorted set.
 * The pipeline checks the normalised text itself, so two requests with one digest are the same check.
 */
export function normaliseRequest(request: RequestText): NormalisedRequest {
  return {
    ...optional('goal', request.goal),
    ...optional('statement', request.statement),
    ...optional('proof', request.proof),
    ...optional('source', request.source),
    ...optional('theorem', request.theorem),
    allowedAxioms: [...new Set(request.allowedAxioms ?? [])].sort(),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  if (value === undefined) return {};
  return { [key]: value.replace(/\r\n?/g, '\n').trim() } as Record<K, string>;
}

/**
 * The digest of a normalised request and kernel hash: `sha256:` over a canonical JSON text.
 * Timeout and request id are left out on purpose: they do not change a deterministic verdict,
 * and non-deterministic ones (Timeout, Error) are never cached.
 */
export function computeDigest(request: NormalisedRequest, kernelHash: string): string {
  const canonical = JSON.stringify([
    'pxl-prove/v1',
    kernelHash,
    request.goal ?? null,
    request.statement ?? null,
    request.proof ?? null,
    request.source ?? null,
    request.theorem ?? null,
    request.allowedAxioms,
  ]);
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}
