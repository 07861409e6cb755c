// JSON schemas of the request bodies, compiled once with ajv and checked at the edge.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ProveBody } from '../../../crds/prover-api.js';
import { errorCodes, HttpError } from './errors.js';

/** Length and count caps, matching the ProofRequest CRD. */
export const limits = {
  goalOrStatement: 16 * 1024,
  proofOrSource: 256 * 1024,
  identifier: 255,
  qualifiedName: 512,
  allowedAxioms: 32,
  requestId: 128,
} as const;

/** A `/prove` body that passed validation. */
export type { ProveBody };

/** A `/countermodel` body that passed validation. */
export interface CountermodelBody {
  readonly goal: string;
  readonly requestId?: string;
}

// NUL is never meaningful in Coq or PXL text and truncates strings in some C tools downstream.
const noNul = '^[^\\u0000]*$';
const text = (maxLength: number, minLength = 0) => ({ type: 'string', minLength, maxLength, pattern: noNul }) as const;
const identifier = { type: 'string', maxLength: limits.identifier, pattern: "^[A-Za-z_][A-Za-z0-9_']*$" } as const;
const qualifiedName = { type: 'string', maxLength: limits.qualifiedName, pattern: "^[A-Za-z_][A-Za-z0-9_']*(\\.[A-Za-z_][A-Za-z0-9_']*)*$" } as const;
const requestId = { type: 'string', minLength: 1, maxLength: limits.requestId, pattern: '^[A-Za-z0-9._:/-]+$' } as const;

function buildProveSchema(maxTimeoutMs: number) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      goal: text(limits.goalOrStatement, 1),
      statement: text(limits.goalOrStatement, 1),
      proof: text(limits.proofOrSource),
      source: text(limits.proofOrSource),
      theorem: identifier,
      allowedAxioms: { type: 'array', maxItems: limits.allowedAxioms, items: qualifiedName },
      timeoutMs: { type: 'integer', minimum: 1, maximum: maxTimeoutMs },
      requestId,
    },
    oneOf: [{ required: ['goal'] }, { required: ['statement'] }],
    not: { required: ['proof', 'source'] },
    dependencies: { source: ['theorem'], theorem: ['source'] },
  } as const;
}

const countermodelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['goal'],
  properties: { goal: text(limits.goalOrStatement, 1), requestId },
} as const;

/** Validators for every body the service accepts. */
export interface BodyValidators {
  readonly prove: (body: unknown) => ProveBody;
  readonly countermodel: (body: unknown) => CountermodelBody;
}

/** Compiles the validators; `maxTimeoutMs` bounds the `timeoutMs` a request may ask for. */
export function compileValidators(maxTimeoutMs: number): BodyValidators {
  // strictRequired is off because `not: {required: [proof, source]}` names properties declared one level up.
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: false });
  const prove = ajv.compile<ProveBody>(buildProveSchema(maxTimeoutMs));
  const countermodel = ajv.compile<CountermodelBody>(countermodelSchema);
  return { prove: (body) => validate(prove, body), countermodel: (body) => validate(countermodel, body) };
}

function validate<T>(check: ValidateFunction<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, errorCodes.invalidRequest, 'request body must be a JSON object');
  }
  if (check(body)) return body;
  throw new HttpError(400, errorCodes.invalidRequest, describeErrors(check.errors ?? []));
}

/** Turns ajv's first meaningful error into one sentence a user can act on. */
export function describeErrors(errors: readonly ErrorObject[]): string {
  // oneOf reports its branches' `required` failures first; the oneOf error itself is the useful one.
  const error = errors.find((e) => e.keyword === 'oneOf') ?? errors[0];
  if (error === undefined) return 'request body is invalid';
  const field = error.instancePath === '' ? 'request body' : error.instancePath.slice(1).replaceAll('/', '.');
  switch (error.keyword) {
    case 'oneOf':
      return 'exactly one of "goal" or "statement" is required';
    case 'not':
      return 'at most one of "proof" or "source" may be given';
    case 'dependencies':
      return '"source" and "theorem" must be given together';
    case 'additionalProperties':
      return `unknown field "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"`;
    case 'required':
      return `missing field "${String((error.params as { missingProperty?: unknown }).missingProperty)}"`;
    case 'pattern':
      return (error.params as { pattern?: unknown }).pattern === noNul ? `${field} must not contain NUL characters` : `${field} has an invalid format`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}
