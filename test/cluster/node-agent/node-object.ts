import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { V1Node, V1NodeCondition, V1NodeStatus } from '@kubernetes/client-node';
import type { NodeTaint } from './flags.js';
import { formatTime, type Plain } from './plain.js';

/** What every emulated node advertises: room for several prover Pods at 2 CPU / 4Gi each. */
export const nodeCapacity = { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' } as const;

/** The label that marks Nodes this agent owns. */
export const agentLabel = 'pxl.logos.dev/node-agent';

/** The address every emulated node has: the host's loopback. */
export const nodeHostIP = '127.0.0.1';

function goArch(): string {
  const map: Partial<Record<string, string>> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
  return map[process.arch] ?? process.arch;
}

function readOptional(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Names the nodes an agent runs: `pxl-node-0` … `pxl-node-<n-1>` with the default prefix. */
export function listNodeNames(count: number, prefix = 'pxl-node'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index)}`);
}

/** Builds the Node object registered for a name (metadata and spec; status is written separately). */
export function buildNode(name: string, taints: readonly NodeTaint[] = []): Plain<V1Node> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': goArch(),
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': goArch(),
        [agentLabel]: 'true',
      },
    },
    spec: taints.length === 0 ? {} : { taints: taints.map((taint) => ({ ...taint })) },
  };
}

function buildConditions(ready: boolean, now: string, previous: readonly Plain<V1NodeCondition>[]): Plain<V1NodeCondition>[] {
  const pressure = (type: string, reason: string, message: string): Plain<V1NodeCondition> => ({
    type, status: 'False', reason, message, lastHeartbeatTime: now, lastTransitionTime: previousTransition(type, 'False') ?? now,
  });
  function previousTransition(type: string, status: string): string | undefined {
    const found = previous.find((condition) => condition.type === type && condition.status === status);
    return found?.lastTransitionTime;
  }
  const readyStatus = ready ? 'True' : 'False';
  return [
    pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'node agent has sufficient memory available'),
    pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'node agent has no disk pressure'),
    pressure('PIDPressure', 'KubeletHasSufficientPID', 'node agent has sufficient PID available'),
    {
      type: 'Ready', status: readyStatus, lastHeartbeatTime: now,
      lastTransitionTime: previousTransition('Ready', readyStatus) ?? now,
      reason: ready ? 'KubeletReady' : 'NodeAgentStopped',
      message: ready ? 'PXL node agent is posting ready status' : 'PXL node agent stopped',
    },
  ];
}

/** Builds a Node's status: conditions, capacity, loopback addresses and what the "runtime" is. */
export function buildNodeStatus(
  name: string, ready: boolean, kubeletVersion: string, previous: readonly Plain<V1NodeCondition>[], now: Date,
): Plain<V1NodeStatus> {
  return {
    conditions: buildConditions(ready, formatTime(now), previous),
    capacity: { ...nodeCapacity },
    allocatable: { ...nodeCapacity },
    addresses: [{ type: 'InternalIP', address: nodeHostIP }, { type: 'Hostname', address: name }],
    daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
    nodeInfo: {
      machineID: readOptional('/etc/machine-id'),
      systemUUID: name,
      bootID: readOptional('/proc/sys/kernel/random/boot_id'),
      kernelVersion: os.release(),
      osImage: `${os.type()} (PXL node agent, host processes)`,
      containerRuntimeVersion: 'pxl-node-agent://0.1.0',
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: goArch(),
    },
  };
}
