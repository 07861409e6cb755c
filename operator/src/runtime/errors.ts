// Typed errors of the runtime and the single place where any error is classified for the work queue.

/** How a failed reconcile is handled: dropped (object gone), retried with back-off, or dropped for good. */
export const errorClasses = { notFound: 'notFound', transient: 'transient', permanent: 'permanent' } as const;

/** One of the error classes. */
export type ErrorClass = (typeof errorClasses)[keyof typeof errorClasses];

/** The object a reconcile needs no longer exists; the key is forgotten without a retry. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** A failure that may pass by itself (conflict, timeout, unavailable); the key is retried with back-off. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** A failure that retrying cannot fix (invalid object, forbidden); the key is not retried until it changes. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  /** A CamelCase reason suitable for a condition. */
  readonly reason: string;

  constructor(message: string, options: { reason: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.reason = options.reason;
  }
}

/** An HTTP error answer of the Kubernetes API server, with its Status object when it sent one. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  /** The HTTP status code, e.g. 404, 409, 410, 422. */
  readonly statusCode: number;
  /** The `reason` of the Status object, e.g. NotFound, Conflict, Expired, Invalid. */
  readonly reason: string;
  /** The decoded response body, usually a metav1.Status. */
  readonly body: unknown;

  constructor(message: string, options: { statusCode: number; reason: string; body: unknown; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.statusCode = options.statusCode;
    this.reason = options.reason;
    this.body = options.body;
  }
}

/** The API server could not be reached or did not answer in time. */
export class KubeConnectionError extends Error {
  override readonly name = 'KubeConnectionError';
}

const transientStatusCodes = new Set([408, 409, 410, 425, 429, 500, 502, 503, 504]);

/** Classifies any thrown value: typed errors by type, API errors by status code, anything unknown as transient. */
export function classifyError(err: unknown): ErrorClass {
  if (err instanceof NotFoundError) return errorClasses.notFound;
  if (err instanceof PermanentError) return errorClasses.permanent;
  if (err instanceof TransientError || err instanceof KubeConnectionError) return errorClasses.transient;
  if (err instanceof KubeApiError) {
    if (err.statusCode === 404) return errorClasses.notFound;
    if (transientStatusCodes.has(err.statusCode)) return errorClasses.transient;
    return errorClasses.permanent;
  }
  // An unexpected error is most likely a bug or a passing fault; back-off keeps it from becoming a hot loop.
  return errorClasses.transient;
}

/** True when the error is the API server saying the object does not exist. */
export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 404;
}

/** True when the error is an optimistic-concurrency conflict (409). */
export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 409;
}
