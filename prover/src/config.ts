// Command-line flags of `pxl-prover`, parsed into one typed configuration.
import { readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { defaultAuditMaxBytes } from './audit/audit-log.js';
import { backends, type Backend } from './check/types.js';

/** A command-line argument that cannot be used; main prints its message and exits 2. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino log level accepted by `--log-level`. */
export type LogLevel = (typeof logLevels)[number];

/** Everything `pxl-prover` needs to start, after flags are checked. */
export interface ProverConfig {
  readonly host: string;
  readonly port: number;
  readonly backend: Backend | 'auto';
  readonly sessions: number;
  /** Requests allowed to wait for a session; beyond it, 503 with Retry-After. */
  readonly queue: number;
  readonly kernelDir?: string;
  readonly expectedHash?: string;
  /** The bearer token, read once from `--token-file`; absent → no auth. */
  readonly token?: string;
  readonly auditLog?: string;
  /** Size at which the audit log is rotated to FILE.1. */
  readonly auditMaxBytes: number;
  readonly scratchDir: string;
  readonly logLevel: LogLevel;
  /** Result cache entries; 0 disables the cache. */
  readonly cacheSize: number;
  /** Most bytes the result cache may hold. */
  readonly cacheBytes: number;
  readonly defaultTimeoutMs: number;
  readonly maxTimeoutMs: number;
  /** How long SIGTERM waits for in-flight checks before aborting them. */
  readonly shutdownTimeoutMs: number;
}

/** The usage text `--help` prints. */
export const usage = `Usage: pxl-prover [flags]
  --listen HOST:PORT        address to serve on (default 127.0.0.1:8088)
  --backend NAME            auto | serapi | coqidetop | coqc (default auto)
  --sessions N              warm Coq sessions (default: number of cores)
  --queue N                 requests that may wait for a session (default 4 x sessions)
  --kernel-dir DIR          .v kernel sources (default: built-in PXLv3)
  --expected-hash sha256:H  kernel hash pin; a mismatch fails closed
  --token-file FILE         bearer token required on /prove and /countermodel
  --audit-log FILE          append a hash-chained JSONL record per check
  --audit-max-bytes N       rotate the audit log to FILE.1 at this size (default 268435456)
  --scratch-dir DIR         writable directory for compiled kernels (default $TMPDIR)
  --cache-size N            result cache entries, 0 disables (default 1024)
  --cache-bytes N           result cache memory budget in bytes (default 67108864)
  --default-timeout-ms N    per-check timeout when the request has none (default 30000)
  --max-timeout-ms N        largest timeoutMs a request may ask for (default 600000)
  --shutdown-timeout-ms N   grace period for in-flight checks on SIGTERM (default 25000)
  --log-level LEVEL         fatal | error | warn | info | debug | trace | silent (default info)
`;

const options = {
  listen: { type: 'string' },
  backend: { type: 'string' },
  sessions: { type: 'string' },
  queue: { type: 'string' },
  'kernel-dir': { type: 'string' },
  'expected-hash': { type: 'string' },
  'token-file': { type: 'string' },
  'audit-log': { type: 'string' },
  'audit-max-bytes': { type: 'string' },
  'scratch-dir': { type: 'string' },
  'cache-size': { type: 'string' },
  'cache-bytes': { type: 'string' },
  'default-timeout-ms': { type: 'string' },
  'max-timeout-ms': { type: 'string' },
  'shutdown-timeout-ms': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Parses `pxl-prover` flags; returns 'help' for --help and throws ArgumentError on bad flags. */
export function parseProverArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ProverConfig | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (values.help === true) return 'help';
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:8088');
  const sessions = parseCount('--sessions', values.sessions, availableParallelism(), 1, 256);
  const maxTimeoutMs = parseCount('--max-timeout-ms', values['max-timeout-ms'], 600_000, 1, 3_600_000);
  const expectedHash = values['expected-hash'];
  if (expectedHash !== undefined && !/^sha256:[0-9a-f]{64}$/.test(expectedHash)) {
    throw new ArgumentError(`--expected-hash must look like sha256:<64 lowercase hex digits>, got "${expectedHash}"`);
  }
  const config: ProverConfig = {
    host,
    port,
    backend: parseBackend(values.backend ?? 'auto'),
    sessions,
    queue: parseCount('--queue', values.queue, 4 * sessions, 0, 100_000),
    scratchDir: values['scratch-dir'] ?? env.TMPDIR ?? tmpdir(),
    logLevel: parseLogLevel(values['log-level'] ?? 'info'),
    auditMaxBytes: parseCount('--audit-max-bytes', values['audit-max-bytes'], defaultAuditMaxBytes, 4096, Number.MAX_SAFE_INTEGER),
    cacheSize: parseCount('--cache-size', values['cache-size'], 1024, 0, 10_000_000),
    cacheBytes: parseCount('--cache-bytes', values['cache-bytes'], 64 * 1024 * 1024, 0, Number.MAX_SAFE_INTEGER),
    defaultTimeoutMs: Math.min(parseCount('--default-timeout-ms', values['default-timeout-ms'], 30_000, 1, 3_600_000), maxTimeoutMs),
    maxTimeoutMs,
    shutdownTimeoutMs: parseCount('--shutdown-timeout-ms', values['shutdown-timeout-ms'], 25_000, 0, 3_600_000),
    ...(values['kernel-dir'] === undefined ? {} : { kernelDir: values['kernel-dir'] }),
    ...(expectedHash === undefined ? {} : { expectedHash }),
    ...(values['audit-log'] === undefined ? {} : { auditLog: values['audit-log'] }),
    ...(values['token-file'] === undefined ? {} : { token: readToken(values['token-file']) }),
  };
  return config;
}

function parseListen(text: string): { host: string; port: number } {
  // The port follows the last colon, so a bare IPv6 address (as $(POD_IP) expands in IPv6 clusters) works too.
  const colon = text.lastIndexOf(':');
  const rawHost = text.slice(0, Math.max(0, colon));
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  const portText = text.slice(colon + 1);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (colon < 0 || host === '' || /[\s[\]]/.test(host) || !(port <= 65535)) {
    throw new ArgumentError(`--listen must be HOST:PORT (e.g. 127.0.0.1:8088), got "${text}"`);
  }
  return { host, port };
}

function parseBackend(text: string): Backend | 'auto' {
  const found = [...backends, 'auto' as const].find((name) => name === text);
  if (found === undefined) throw new ArgumentError(`--backend must be one of auto, ${backends.join(', ')}; got "${text}"`);
  return found;
}

function parseLogLevel(text: string): LogLevel {
  const found = logLevels.find((level) => level === text);
  if (found === undefined) throw new ArgumentError(`--log-level must be one of ${logLevels.join(', ')}; got "${text}"`);
  return found;
}

function parseCount(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ArgumentError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function readToken(file: string): string {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ArgumentError(`--token-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  // Secrets mounted from files usually end with a newline that is not part of the token.
  const token = text.trim();
  if (token === '') throw new ArgumentError(`--token-file ${file} is empty`);
  return token;
}
