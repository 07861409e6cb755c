// The ordered screening of a whole request before it reaches Coq.
import type { Conclusion } from './outcome.js';
import { screenProof, screenSource, screenStatement, screenTheoremName, type Finding } from './screen.js';
import type { CheckRequest } from './types.js';

const qualifiedName = /^[A-Za-z_][A-Za-z0-9_']*(\.[A-Za-z_][A-Za-z0-9_']*)+$/;

/** Checks field types, for callers that did not validate the request against the schema. */
function screenTypes(request: CheckRequest): Finding | undefined {
  const loose = request as unknown as Record<string, unknown>;
  for (const key of ['statement', 'proof', 'source', 'theorem'] as const) {
    const value = loose[key];
    if (value !== undefined && typeof value !== 'string') return { reason: 'ParseError', message: `${key} must be a string` };
  }
  if (typeof loose.statement !== 'string') return { reason: 'ParseError', message: 'statement is required' };
  if (!Array.isArray(loose.allowedAxioms) || !loose.allowedAxioms.every((a) => typeof a === 'string')) return { reason: 'ParseError', message: 'allowedAxioms must be a list of names' };
  return undefined;
}

/** Checks the shape of a request: exactly one of proof or source, a theorem with source, qualified axiom names. */
function screenShape(request: CheckRequest): Finding | undefined {
  if (request.proof !== undefined && request.source !== undefined) return { reason: 'ParseError', message: 'give either proof or source, not both' };
  if (request.proof === undefined && request.source === undefined) return { reason: 'ParseError', message: 'give a proof or a source' };
  if (request.source !== undefined && request.theorem === undefined) return { reason: 'InvalidTheorem', message: 'source needs theorem: the name of the theorem that proves the statement' };
  if (request.proof !== undefined && request.theorem !== undefined) return { reason: 'InvalidTheorem', message: 'theorem goes with source, not with proof' };
  const badAxiom = request.allowedAxioms.find((name) => !qualifiedName.test(name));
  if (badAxiom !== undefined) return { reason: 'ParseError', message: `allowed axiom ${JSON.stringify(badAxiom.slice(0, 100))} is not a fully qualified name` };
  return undefined;
}

/** Screens a request; a finding becomes verdict Rejected with its reason. */
export function screenRequest(request: CheckRequest): Conclusion | undefined {
  const finding =
    screenTypes(request) ??
    screenShape(request) ??
    screenStatement(request.statement) ??
    (request.proof === undefined ? undefined : screenProof(request.proof)) ??
    (request.source === undefined ? undefined : screenSource(request.source)) ??
    (request.theorem === undefined ? undefined : screenTheoremName(request.theorem));
  return finding === undefined ? undefined : { verdict: 'Rejected', reason: finding.reason, message: finding.message };
}
