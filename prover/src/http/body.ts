// Reads a request body: size-limited, strict UTF-8, no NUL bytes, then JSON.
import type { IncomingMessage } from 'node:http';
import { errorCodes, HttpError } from './errors.js';

/** The default body limit: 1 MiB, comfortably above the largest valid request (256 KiB source plus 16 KiB statement). */
export const defaultBodyLimitBytes = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads and parses a JSON body, throwing HttpError 413 or 400 for anything that is not a small, clean JSON text. */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  return parseJsonBytes(await readBytes(request, limitBytes));
}

/** Collects the raw body, refusing it as soon as it exceeds `limitBytes`. */
export function readBytes(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  // Plain stream events rather than an async iterator: this runs on every request and the iterator costs more.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      // Keep draining without storing, so the 413 can still be written on this connection.
      request.resume();
      reject(tooLarge(limitBytes));
    };
    request.on('data', onData);
    request.once('end', () => { resolve(Buffer.concat(chunks, total)); });
    request.once('error', reject);
  });
}

/** Decodes strict UTF-8 and parses JSON; each failure is a 400 naming what was wrong. */
export function parseJsonBytes(bytes: Buffer): unknown {
  let text;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new HttpError(400, errorCodes.invalidUtf8, 'request body is not valid UTF-8', {}, { cause: error });
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new HttpError(400, errorCodes.nulByte, `request body contains a NUL byte at offset ${nul}`);
  if (text.trim() === '') throw new HttpError(400, errorCodes.invalidJson, 'request body is empty; expected a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'syntax error';
    throw new HttpError(400, errorCodes.invalidJson, `request body is not valid JSON: ${reason}`, {}, { cause: error });
  }
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, errorCodes.payloadTooLarge, `request body exceeds ${limitBytes} bytes`, { connection: 'close' });
}
