// The operator's small HTTP server: /healthz, /readyz and /metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** The answer of a readiness check: ready or not, and why, for humans. */
export interface Readiness {
  readonly ready: boolean;
  readonly detail: Readonly<Record<string, string>>;
}

/** Where to listen and what to report. */
export interface HealthServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly registry: Registry;
  readonly checkReadiness: () => Readiness;
  /** Liveness; default always alive while the event loop serves requests. */
  readonly checkLiveness?: () => boolean;
}

/** A running health server. */
export interface HealthServer {
  /** The port actually bound. */
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    void respond(req, res, options);
  });
  // Keep-alive connections from probes must not hold up shutdown.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeAllConnections();
      }),
  };
}

async function respond(req: http.IncomingMessage, res: http.ServerResponse, options: HealthServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: { code: 'MethodNotAllowed', message: 'only GET is served' } });
    return;
  }
  try {
    switch (path) {
      case '/healthz': {
        const alive = options.checkLiveness?.() ?? true;
        sendJson(res, alive ? 200 : 503, { status: alive ? 'ok' : 'unhealthy' });
        return;
      }
      case '/readyz': {
        const readiness = options.checkReadiness();
        sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ok' : 'not ready', ...readiness.detail });
        return;
      }
      case '/metrics': {
        const text = await options.registry.metrics();
        res.writeHead(200, { 'content-type': options.registry.contentType });
        res.end(text);
        return;
      }
      default:
        sendJson(res, 404, { error: { code: 'NotFound', message: `no route ${path ?? ''}` } });
    }
  } catch (err) {
    sendJson(res, 500, { error: { code: 'InternalError', message: err instanceof Error ? err.message : 'unknown error' } });
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
