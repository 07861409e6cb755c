// Writing JSON and text answers.
import type { ServerResponse } from 'node:http';
import type { ErrorCode } from './errors.js';

/** Sends a JSON body with the given status and extra headers. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

/** Sends the `{error: {code, message}}` body every failed request gets. */
export function sendError(response: ServerResponse, status: number, code: ErrorCode, message: string, headers: Readonly<Record<string, string>> = {}): void {
  sendJson(response, status, { error: { code, message } }, headers);
}

/** Sends a plain-text body, used for Prometheus metrics. */
export function sendText(response: ServerResponse, status: number, text: string, contentType: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  response.end(text);
}
