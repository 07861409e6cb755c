// Bearer-token check in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { errorCodes, HttpError } from './errors.js';

/** Checks an `Authorization` header against the expected token; throws HttpError 401 otherwise. */
export function assertAuthorized(header: string | undefined, expected: string | undefined): void {
  if (expected === undefined) return;
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(header ?? '');
  // Digests have equal length whatever the caller sent, so the comparison leaks neither content nor length.
  if (match?.[1] === undefined || !timingSafeEqual(sha256(match[1]), sha256(expected))) {
    throw new HttpError(401, errorCodes.unauthorized, 'a valid bearer token is required', { 'www-authenticate': 'Bearer' });
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
