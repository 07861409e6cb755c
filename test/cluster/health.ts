import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

/** Client TLS material for talking to the plane's HTTPS endpoints. */
export interface ClientTls {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Loads client TLS material from PEM files. */
export function loadClientTls(files: { ca: string; cert: string; key: string }): ClientTls {
  return { ca: readFileSync(files.ca), cert: readFileSync(files.cert), key: readFileSync(files.key) };
}

/** The answer of one GET. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** GETs `url` (http or https with the given client TLS), failing after `timeoutMs`. */
export function getUrl(url: string, tls: ClientTls | undefined, timeoutMs = 5000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const options = { timeout: timeoutMs, ...(tls === undefined ? {} : { ca: tls.ca, cert: tls.cert, key: tls.key }) };
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
      res.on('error', reject);
    });
    req.on('timeout', () => { req.destroy(new Error(`GET ${url} timed out after ${String(timeoutMs)} ms`)); });
    req.on('error', reject);
  });
}

/** True when `url` answers 200 within a short time. */
export async function isHealthy(url: string, tls: ClientTls | undefined): Promise<boolean> {
  try {
    return (await getUrl(url, tls, 3000)).status === 200;
  } catch {
    return false;
  }
}

/** Outcome of one poll in `pollUntil`: done, keep waiting, or a reason to stop waiting. */
export type PollOutcome = { readonly done: true } | { readonly done: false; readonly abort?: Error };

/** Polls `check` every `intervalMs` until it is done, aborts, or `timeoutMs` passes; returns false on timeout. */
export async function pollUntil(check: () => Promise<PollOutcome>, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await check();
    if (outcome.done) return true;
    if (outcome.abort !== undefined) throw outcome.abort;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
