import path from 'node:path';
import { parseArgs } from 'node:util';

/** The agent's command-line options. */
export interface AgentFlags {
  readonly kubeconfig: string;
  readonly stateDir: string;
  readonly nodes: number;
  readonly repoRoot: string;
  readonly logLevel: string;
}

/** Thrown for a bad command line; main prints it and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The usage line printed with a UsageError. */
export const usage = 'usage: node-agent --kubeconfig FILE --state-dir DIR [--nodes N] [--repo-root DIR] [--log-level info]';

/** Parses and checks the command line. */
export function parseFlags(argv: readonly string[]): AgentFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        kubeconfig: { type: 'string' },
        'state-dir': { type: 'string' },
        nodes: { type: 'string', default: '1' },
        'repo-root': { type: 'string', default: process.cwd() },
        'log-level': { type: 'string', default: 'info' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { kubeconfig, nodes } = values;
  const stateDir = values['state-dir'];
  if (kubeconfig === undefined || stateDir === undefined) {
    throw new UsageError('--kubeconfig and --state-dir are required');
  }
  const count = Number(nodes);
  if (!Number.isInteger(count) || count < 1 || count > 50) {
    throw new UsageError(`--nodes must be an integer from 1 to 50, got "${nodes}"`);
  }
  return {
    kubeconfig: path.resolve(kubeconfig), stateDir: path.resolve(stateDir), nodes: count,
    repoRoot: path.resolve(values['repo-root']), logLevel: values['log-level'],
  };
}
