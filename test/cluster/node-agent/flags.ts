import path from 'node:path';
import { parseArgs } from 'node:util';
import { parsePodCidr, podCidr, type PodIpRange } from './ip-allocator.js';

/** The agent's command-line options. */
export interface AgentFlags {
  readonly kubeconfig: string;
  readonly stateDir: string;
  readonly nodes: number;
  readonly nodePrefix: string;
  readonly taints: readonly NodeTaint[];
  readonly podRange: PodIpRange;
  readonly repoRoot: string;
  readonly logLevel: string;
}

/** A taint the Nodes are registered with, as the kubelet's --register-with-taints takes it. */
export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Parses `key=value:Effect` (value optional) into a taint. */
export function parseTaint(text: string): NodeTaint {
  const match = /^([A-Za-z0-9./_-]+)(?:=([A-Za-z0-9._-]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(text);
  if (match === null) {
    throw new UsageError(`--register-with-taints: "${text}" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
  }
  return { key: match[1] ?? '', value: match[2] ?? '', effect: match[3] as NodeTaint['effect'] };
}

/** Thrown for a bad command line; main prints it and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The usage line printed with a UsageError. */
export const usage = 'usage: node-agent --kubeconfig FILE --state-dir DIR [--nodes N] [--node-prefix pxl-node] [--register-with-taints k=v:NoSchedule,…] [--pod-cidr 127.42.0.0/16] [--repo-root DIR] [--log-level info]';

function parseRange(cidr: string): PodIpRange {
  try {
    return parsePodCidr(cidr);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

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
        'node-prefix': { type: 'string', default: 'pxl-node' },
        'register-with-taints': { type: 'string', default: '' },
        'pod-cidr': { type: 'string', default: podCidr },
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
  const nodePrefix = values['node-prefix'];
  if (!/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/.test(nodePrefix)) {
    throw new UsageError(`--node-prefix must be a short DNS label, got "${nodePrefix}"`);
  }
  return {
    kubeconfig: path.resolve(kubeconfig), stateDir: path.resolve(stateDir), nodes: count, nodePrefix,
    taints: values['register-with-taints'].split(',').filter((text) => text !== '').map(parseTaint),
    podRange: parseRange(values['pod-cidr']),
    repoRoot: path.resolve(values['repo-root']), logLevel: values['log-level'],
  };
}
