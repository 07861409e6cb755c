// The agent sends objects as JSON and never constructs the client's model classes.

import type { Plain } from '../../../operator/src/controllers/shared/plain.js';

/** A model class as a plain JSON object type, recursively (times are RFC 3339 strings on the wire). */
export type { Plain };

/** Formats a time as the API's Time: RFC 3339 in UTC with whole seconds. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Hands a plain JSON object to a client method typed with model classes (the client serializes it as is). */
export function toModel<T>(value: Plain<T>): T {
  return value as unknown as T;
}
