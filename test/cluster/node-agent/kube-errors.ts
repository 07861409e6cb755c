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

/** A short, loggable form of an API error: its HTTP code and the Status message, not the whole response. */
export function summarizeError(error: unknown): { code?: number; message: string } {
  const code = getStatusCode(error);
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      const status = JSON.parse(body) as { message?: unknown };
      if (typeof status.message === 'string') {
        return { ...(code === undefined ? {} : { code }), message: status.message };
      }
    } catch {
      // Not a Status object; fall through to the error's own message.
    }
  }
  const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
  return { ...(code === undefined ? {} : { code }), message };
}
