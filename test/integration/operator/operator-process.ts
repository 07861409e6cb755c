// Starts the real operator (bin/pxl-operator.js) as a child process scoped to one test namespace.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, resolveKubeconfigPath } from './operator-support.js';

/** A running operator process. */
export interface OperatorProcess {
  readonly child: ChildProcess;
  readonly logPath: string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts an operator watching only `namespace`, with its lease there too; the log goes to .cache/test-operator/. */
export function startOperator(namespace: string, extraArgs: readonly string[] = []): OperatorProcess {
  const dir = join(repoRoot, '.cache', 'test-operator');
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, `${namespace}-${Date.now().toString(36)}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'bin', 'pxl-operator.js'),
      '--namespace', namespace,
      '--lease-namespace', namespace,
      '--operator-namespace', namespace,
      '--metrics-bind', '127.0.0.1:0',
      ...extraArgs,
    ],
    { env: { ...process.env, KUBECONFIG: resolveKubeconfigPath(), LOG_LEVEL: process.env.PXL_OPERATOR_LOG_LEVEL ?? 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  return {
    child,
    logPath,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
