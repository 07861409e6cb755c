// The `pxl-prover` entry: flags, logger, audit log, HTTP service, engine start, signals. Wiring only.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { AuditLog } from './audit/audit-log.js';
import { startEngine } from './check/engine.js';
import { ArgumentError, parseProverArgs, usage, type ProverConfig } from './config.js';
import { defaultBodyLimitBytes } from './http/body.js';
import { compileValidators } from './http/schemas.js';
import { createProverMetrics } from './metrics.js';
import { Prover } from './prove/prover.js';
import { createProverServer, type ServiceState } from './server.js';

async function main(): Promise<number> {
  let config: ProverConfig | 'help';
  try {
    config = parseProverArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    process.stderr.write(`pxl-prover: ${error.message}\n`);
    return 2;
  }
  if (config === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'pxl-prover' }, redact: ['token', 'authorization', '*.authorization'] });
  const audit = config.auditLog === undefined ? undefined : await AuditLog.open(config.auditLog, config.auditMaxBytes);
  const state: ServiceState = {};
  const metrics = createProverMetrics({ engine: () => state.engine, gate: () => state.prover?.gate });
  const service = createProverServer({
    state,
    logger,
    metrics,
    validators: compileValidators(config.maxTimeoutMs),
    bodyLimitBytes: defaultBodyLimitBytes,
    versions: { service: readServiceVersion(), node: process.versions.node },
    ...(config.token === undefined ? {} : { token: config.token }),
    ...(audit === undefined ? {} : { audit }),
  });
  await new Promise<void>((resolve, reject) => {
    service.server.once('error', reject);
    service.server.listen(config.port, config.host, () => { resolve(); });
  });
  logger.info({ address: service.server.address(), auth: config.token !== undefined, audit: config.auditLog ?? null }, 'listening');
  const stopping = installSignalHandlers(logger, async () => {
    await service.shutdown(config.shutdownTimeoutMs);
    await state.engine?.close();
    await audit?.close();
  });
  await startCheckingEngine(config, state, logger);
  await stopping;
  return 0;
}

async function startCheckingEngine(config: ProverConfig, state: ServiceState, logger: Logger): Promise<void> {
  try {
    const engine = await startEngine({
      backend: config.backend,
      sessions: config.sessions,
      // The service's own gate admits one check per session, so the engine's queue only absorbs session restarts.
      maxQueue: config.queue,
      scratchDir: config.scratchDir,
      ...(config.kernelDir === undefined ? {} : { kernelDir: config.kernelDir }),
      ...(config.expectedHash === undefined ? {} : { expectedHash: config.expectedHash }),
    });
    state.engine = engine;
    state.prover = new Prover({
      engine,
      sessions: config.sessions,
      queue: config.queue,
      cacheSize: config.cacheSize,
      cacheBytes: config.cacheBytes,
      defaultTimeoutMs: config.defaultTimeoutMs,
      proverName: process.env.POD_NAME ?? hostname(),
    });
    logger.info({ backend: engine.backend, kernelHash: engine.kernelHash, sessions: config.sessions, readiness: engine.readiness() }, 'engine started');
  } catch (error) {
    // Fail closed: keep serving /health so the failure is visible on /ready and in 503 answers.
    state.startupProblem = error instanceof Error ? error.message : String(error);
    logger.error({ err: error }, 'engine failed to start');
  }
}

/** Resolves after the first SIGTERM or SIGINT has run `stop`; a second signal exits at once. */
function installSignalHandlers(logger: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn({ signal }, 'second signal, exiting now');
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      stop().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

function readServiceVersion(): string {
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`pxl-prover: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
