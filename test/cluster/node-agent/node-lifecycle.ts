import type { Logger } from 'pino';
import { PatchStrategy, setHeaderOptions, type CoordinationV1Api, type CoreV1Api, type V1Lease, type V1Node, type V1NodeCondition } from '@kubernetes/client-node';
import { formatMicroTime, isConflict, isNotFound, summarizeError } from './kube-errors.js';
import type { NodeTaint } from './flags.js';
import { buildNode, buildNodeStatus } from './node-object.js';
import { toModel, type Plain } from './plain.js';

/** How often each node's Lease is renewed (the kubelet's default). */
export const leaseRenewMs = 10_000;
/** How often each node's status is posted even when nothing changed. */
export const statusReportMs = 60_000;
const leaseNamespace = 'kube-node-lease';
const leaseDurationSeconds = 40;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * Registers the agent's Nodes and keeps them healthy: a Lease heartbeat every 10 s and a status
 * report every minute; on stop the Nodes stay but are marked NotReady.
 */
export class NodeLifecycle {
  private readonly previous = new Map<string, Plain<V1NodeCondition>[]>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly core: CoreV1Api,
    private readonly coordination: CoordinationV1Api,
    private readonly names: readonly string[],
    private readonly kubeletVersion: string,
    private readonly taints: readonly NodeTaint[],
    private readonly log: Logger,
  ) {}

  /** Creates (or adopts) each Node, posts Ready status and its first Lease. */
  async register(): Promise<void> {
    for (const name of this.names) {
      await this.registerNode(name);
    }
  }

  private async registerNode(name: string): Promise<void> {
    const node = buildNode(name, this.taints);
    try {
      await this.core.createNode({ body: toModel<V1Node>(node) });
      this.log.info({ node: name }, 'node registered');
    } catch (error) {
      if (!isConflict(error)) {
        throw new Error(`cannot register node ${name}`, { cause: error });
      }
      await this.core.patchNode({ name, body: { metadata: { labels: node.metadata?.labels } } }, mergePatch);
      this.log.info({ node: name }, 'node already registered; adopted');
    }
    this.previous.delete(name);
    await this.postStatus(name, true);
    await this.renewLease(name);
  }

  // Like the kubelet, a Node deleted from the API while the agent runs is registered again.
  private async postStatusOrRegister(name: string): Promise<void> {
    try {
      await this.postStatus(name, true);
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
      await this.registerNode(name);
    }
  }

  /** Starts the heartbeats. */
  start(): void {
    this.timers.push(setInterval(() => {
      void this.forEachNode((name) => this.renewLease(name), 'lease renewal failed');
    }, leaseRenewMs));
    this.timers.push(setInterval(() => {
      void this.forEachNode((name) => this.postStatusOrRegister(name), 'node status update failed');
    }, statusReportMs));
  }

  /** Stops the heartbeats and marks every Node NotReady. */
  async stop(): Promise<void> {
    for (const timer of this.timers) {
      clearInterval(timer);
    }
    await this.forEachNode((name) => this.postStatus(name, false), 'marking node NotReady failed');
  }

  private async forEachNode(action: (name: string) => Promise<void>, failure: string): Promise<void> {
    for (const name of this.names) {
      try {
        await action(name);
      } catch (error) {
        this.log.warn({ node: name, err: summarizeError(error) }, failure);
      }
    }
  }

  private async postStatus(name: string, ready: boolean): Promise<void> {
    const status = buildNodeStatus(name, ready, this.kubeletVersion, this.previous.get(name) ?? [], new Date());
    await this.core.patchNodeStatus({ name, body: { status } }, mergePatch);
    this.previous.set(name, status.conditions ?? []);
  }

  private async renewLease(name: string): Promise<void> {
    const renewTime = formatMicroTime(new Date());
    try {
      await this.coordination.patchNamespacedLease(
        { name, namespace: leaseNamespace, body: { spec: { holderIdentity: name, renewTime, leaseDurationSeconds } } },
        mergePatch,
      );
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
      const node = await this.core.readNode({ name }).catch(async (readError: unknown) => {
        if (!isNotFound(readError)) {
          throw readError;
        }
        await this.registerNode(name);
        return undefined;
      });
      if (node === undefined) {
        return;
      }
      await this.coordination.createNamespacedLease({
        namespace: leaseNamespace,
        body: toModel<V1Lease>({
          metadata: { name, namespace: leaseNamespace, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata?.uid ?? '' }] },
          spec: { holderIdentity: name, leaseDurationSeconds, renewTime },
        }),
      });
    }
  }
}
