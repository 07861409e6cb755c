// Typed HTTP errors: each carries the status and the stable code of the JSON error body.

/** Stable codes of the `{error: {code, message}}` body. */
export const errorCodes = {
  invalidJson: 'InvalidJson',
  invalidUtf8: 'InvalidUtf8',
  nulByte: 'NulByte',
  invalidRequest: 'InvalidRequest',
  parseError: 'ParseError',
  unauthorized: 'Unauthorized',
  notFound: 'NotFound',
  methodNotAllowed: 'MethodNotAllowed',
  payloadTooLarge: 'PayloadTooLarge',
  busy: 'Busy',
  notReady: 'NotReady',
  shuttingDown: 'ShuttingDown',
  internal: 'Internal',
} as const;

/** One code of the JSON error body. */
export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes];

/** An error answered with its own status and a JSON body; never logged as a bug. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  /** Creates an error answered as `status` with `{error: {code, message}}` and optional extra headers. */
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
