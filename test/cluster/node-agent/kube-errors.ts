/** Reads the HTTP status of an error from @kubernetes/client-node (ApiException.code, or a watch's statusCode). */
export function getStatusCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') {
    return code;
  }
  return typeof statusCode === 'number' ? statusCode : undefined;
}

/** Whether an API call failed because the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return getStatusCode(error) === 404;
}

/** Whether an API call failed because the object already exists or a precondition did not hold. */
export function isConflict(error: unknown): boolean {
  return getStatusCode(error) === 409;
}

/** Formats a time as the API's MicroTime (RFC 3339 with exactly six fractional digits). */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
