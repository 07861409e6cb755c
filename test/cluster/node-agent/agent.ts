import type { Logger } from 'pino';
import type { V1Pod } from '@kubernetes/client-node';
import type { AgentFlags } from './flags.js';
import { IpAllocator } from './ip-allocator.js';
import { connectKube, createObjectReader, createTokenIssuer, deletePodNow, writePodStatus } from './kube-access.js';
import { ListWatch } from './list-watch.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { listNodeNames, nodeHostIP } from './node-object.js';
import { PodManager } from './pod-manager.js';
import { StateDir } from './state-dir.js';

/** Pod processes get at most this long to exit when the agent itself stops. */
const shutdownGraceSeconds = 10;

/** A running agent; stop() ends its Pods' processes and marks its Nodes NotReady. */
export interface RunningAgent {
  stop(): Promise<void>;
}

/** Starts the node agent: registers the Nodes, resumes what a previous run left, and watches bound Pods. */
export async function startAgent(flags: AgentFlags, log: Logger): Promise<RunningAgent> {
  const kube = await connectKube(flags.kubeconfig);
  const names = listNodeNames(flags.nodes, flags.nodePrefix);
  const nodes = new NodeLifecycle(kube.core, kube.coordination, names, kube.serverVersion, flags.taints, log.child({ component: 'nodes' }));
  await nodes.register();
  nodes.start();

  const ips = new IpAllocator(flags.podRange);
  const stateDir = new StateDir(flags.stateDir);
  const manager = new PodManager({
    repoRoot: flags.repoRoot, hostIP: nodeHostIP, stateDir, ips, cluster: kube.cluster,
    reader: createObjectReader(kube.core), tokens: createTokenIssuer(kube.core),
    writeStatus: (pod, status) => writePodStatus(kube.core, pod, status),
    log: log.child({ component: 'pods' }),
  }, ips, stateDir, (pod) => deletePodNow(kube.core, pod));
  await manager.recover();

  const seen = new Set<string>();
  const firstLists = names.map((nodeName) => {
    let delivered: () => void = () => undefined;
    const listed = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    const watch = new ListWatch<V1Pod>(kube.kubeConfig, {
      path: '/api/v1/pods',
      query: { fieldSelector: `spec.nodeName=${nodeName}` },
      list: async () => {
        const list = await kube.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` });
        return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
      },
    }, {
      onList: (pods) => {
        for (const pod of pods) {
          seen.add(pod.metadata?.uid ?? '');
          manager.handle(pod);
        }
        for (const uid of manager.findVanished(nodeName, pods)) {
          manager.handleGone(uid);
        }
        delivered();
      },
      onUpsert: (pod) => {
        manager.handle(pod);
      },
      onDelete: (pod) => {
        manager.handleGone(pod.metadata?.uid ?? '');
      },
    }, log.child({ component: 'watch', node: nodeName }));
    return { watch, listed };
  });
  for (const { watch } of firstLists) {
    await watch.start();
  }
  // Orphans are only known once every node has listed: before that a Pod may just not be seen yet.
  void Promise.all(firstLists.map(({ listed }) => listed)).then(() => manager.killOrphans(seen));
  log.info({ nodes: names, stateDir: flags.stateDir }, 'node agent running');

  return {
    async stop() {
      for (const { watch } of firstLists) {
        watch.stop();
      }
      await manager.stopAll(shutdownGraceSeconds);
      await nodes.stop();
    },
  };
}
