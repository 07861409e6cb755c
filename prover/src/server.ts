// The prover's HTTP service: routes, validation at the edge, auth, limits, and graceful shutdown.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import type { CheckEngine } from './check/types.js';
import { assertAuthorized } from './http/auth.js';
import { readJsonBody } from './http/body.js';
import { errorCodes, HttpError } from './http/errors.js';
import { sendError, sendJson, sendText } from './http/respond.js';
import type { BodyValidators } from './http/schemas.js';
import type { ProverMetrics } from './metrics.js';
import { BusyError } from './prove/admission.js';
import { GoalParseError, NotReadyError, type Prover } from './prove/prover.js';
import type { ProveResult } from './prove/result.js';

/** What the service serves with; `engine` and `prover` appear once the engine has started. */
export interface ServiceState {
  engine?: CheckEngine;
  prover?: Prover;
  /** Why the engine could not start, for /ready and 503 answers. */
  startupProblem?: string;
}

/** Dependencies of the HTTP service. */
export interface ServerOptions {
  readonly state: ServiceState;
  readonly logger: Logger;
  readonly metrics: ProverMetrics;
  readonly validators: BodyValidators;
  readonly bodyLimitBytes: number;
  readonly token?: string;
  readonly audit?: AuditLog;
  /** Static versions for /version (service, node); the engine adds Coq's and the backend's. */
  readonly versions: Readonly<Record<string, string>>;
}

/** A running service: the node server plus a graceful shutdown. */
export interface ProverServer {
  readonly server: Server;
  /** Stops accepting, waits for in-flight requests up to `deadlineMs`, then aborts the rest. */
  shutdown(deadlineMs: number): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse, context: RequestContext) => Promise<void> | void;

interface RequestContext {
  readonly requestId: string;
  readonly signal: AbortSignal;
}

/** Creates the service (not yet listening). */
export function createProverServer(options: ServerOptions): ProverServer {
  const shutdownController = new AbortController();
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const routes: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
    '/health': { GET: (_q, res) => { sendJson(res, 200, { status: 'ok' }); } },
    '/ready': { GET: (_q, res) => { answerReady(res, options.state); } },
    '/version': { GET: (_q, res) => { sendJson(res, 200, describeVersions(options)); } },
    '/metrics': { GET: async (_q, res) => { sendText(res, 200, await options.metrics.registry.metrics(), options.metrics.registry.contentType); } },
    '/prove': { POST: (req, res, context) => handleProve(req, res, context, options) },
    '/countermodel': { POST: (req, res, context) => handleCountermodel(req, res, context, options) },
  };

  // Bounds on receiving a request (not on answering it): a client that trickles bytes cannot hold a socket forever.
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, (request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    const route = routes[path];
    const handler = route?.[request.method ?? ''];
    const requestId = pickRequestId(request.headers['x-request-id']);
    response.on('finish', () => {
      options.metrics.httpRequests.inc({ route: route === undefined ? 'other' : path, code: String(response.statusCode) });
    });
    const clientGone = new AbortController();
    response.on('close', () => { if (!response.writableFinished) clientGone.abort(new Error('client disconnected')); });
    const context = { requestId, signal: AbortSignal.any([shutdownController.signal, clientGone.signal]) };
    inFlight += 1;
    void dispatch(request, response, context, route, handler).finally(() => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
  });

  async function dispatch(request: IncomingMessage, response: ServerResponse, context: RequestContext, route: Readonly<Record<string, Handler>> | undefined, handler: Handler | undefined): Promise<void> {
    try {
      if (route === undefined) throw new HttpError(404, errorCodes.notFound, `no route ${request.url ?? ''}`);
      if (handler === undefined) {
        const allow = Object.keys(route).join(', ');
        throw new HttpError(405, errorCodes.methodNotAllowed, `method ${request.method ?? ''} is not allowed here; use ${allow}`, { allow });
      }
      if (shutdownController.signal.aborted || !server.listening) {
        throw new HttpError(503, errorCodes.shuttingDown, 'the prover is shutting down', { 'retry-after': '5', connection: 'close' });
      }
      await handler(request, response, context);
    } catch (error) {
      answerFailure(response, error, context, options.logger);
    }
  }

  async function shutdown(deadlineMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => { resolve(); }));
    server.closeIdleConnections();
    if (inFlight > 0) {
      const allDone = new Promise<void>((resolve) => { drained = resolve; });
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => { timer = setTimeout(resolve, deadlineMs); });
      await Promise.race([allDone, expired]);
      clearTimeout(timer);
    }
    // Whatever is still running past the deadline is cancelled; its callers get an Error verdict or a 503.
    shutdownController.abort(new Error('the prover is shutting down'));
    server.closeAllConnections();
    await closed;
  }

  return { server, shutdown };
}

async function handleProve(request: IncomingMessage, response: ServerResponse, context: RequestContext, options: ServerOptions): Promise<void> {
  assertAuthorized(request.headers.authorization, options.token);
  const body = options.validators.prove(await readJsonBody(request, options.bodyLimitBytes));
  const prover = requireProver(options.state);
  const requestId = body.requestId ?? context.requestId;
  const result = await prover.prove(body, context.signal);
  await recordCheck(result, requestId, options);
  sendJson(response, 200, result, { 'x-request-id': requestId });
}

async function handleCountermodel(request: IncomingMessage, response: ServerResponse, context: RequestContext, options: ServerOptions): Promise<void> {
  assertAuthorized(request.headers.authorization, options.token);
  const body = options.validators.countermodel(await readJsonBody(request, options.bodyLimitBytes));
  const prover = requireProver(options.state);
  try {
    sendJson(response, 200, prover.countermodel(body.goal), { 'x-request-id': body.requestId ?? context.requestId });
  } catch (error) {
    if (error instanceof GoalParseError) throw new HttpError(400, errorCodes.parseError, `goal: ${error.message}`, {}, { cause: error });
    throw error;
  }
}

function requireProver(state: ServiceState): Prover {
  if (state.prover !== undefined) return state.prover;
  throw new NotReadyError(state.startupProblem ?? 'the checking engine is still starting');
}

/** Logs, counts and audits one answered check; an audit failure is logged, never turned into a wrong verdict. */
async function recordCheck(result: ProveResult, requestId: string, options: ServerOptions): Promise<void> {
  const { metrics, logger, audit } = options;
  metrics.checks.inc({ verdict: result.verdict, backend: result.backend });
  metrics.checkDuration.observe({ backend: result.backend }, result.durationMs / 1000);
  if (result.cached) metrics.cacheHits.inc();
  const line = { requestId, digest: result.digest, verdict: result.verdict, reason: result.reason, durationMs: result.durationMs, backend: result.backend, cached: result.cached };
  if (result.verdict === 'Error') logger.warn(line, 'check');
  else logger.info(line, 'check');
  if (audit === undefined) return;
  const entry = { time: new Date().toISOString(), requestId, digest: result.digest, verdict: result.verdict, kernelHash: result.kernelHash, durationMs: result.durationMs };
  try {
    await audit.append(entry);
  } catch (error) {
    logger.error({ err: error, requestId, digest: result.digest }, 'audit log append failed');
  }
}

function answerReady(response: ServerResponse, state: ServiceState): void {
  const readiness = state.engine?.readiness() ?? { ready: false, reason: state.startupProblem ?? 'the checking engine is still starting' };
  sendJson(response, readiness.ready ? 200 : 503, readiness);
}

function describeVersions(options: ServerOptions): Record<string, string> {
  const engine = options.state.engine;
  if (engine === undefined) return { ...options.versions };
  return { ...options.versions, ...engine.versions(), backend: engine.backend, kernelHash: engine.kernelHash };
}

function answerFailure(response: ServerResponse, error: unknown, context: RequestContext, logger: Logger): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendError(response, error.status, error.code, error.message, error.headers);
  } else if (error instanceof BusyError) {
    sendError(response, 503, errorCodes.busy, error.message, { 'retry-after': '1' });
  } else if (error instanceof NotReadyError) {
    sendError(response, 503, errorCodes.notReady, `the prover is not ready: ${error.message}`, { 'retry-after': '5' });
  } else if (context.signal.aborted) {
    // The client left or the service is stopping; nobody may be listening, but answer if the socket is open.
    sendError(response, 503, errorCodes.shuttingDown, 'the request was cancelled', { connection: 'close' });
  } else {
    logger.error({ err: error, requestId: context.requestId }, 'unexpected error while serving a request');
    sendError(response, 500, errorCodes.internal, 'internal error; see the prover log for the request id', { 'x-request-id': context.requestId });
  }
}

function pickRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^[A-Za-z0-9._:/-]{1,128}$/.test(value) ? value : randomUUID();
}
