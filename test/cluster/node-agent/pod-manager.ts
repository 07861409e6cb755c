import type { Logger } from 'pino';
import type { V1Pod } from '@kubernetes/client-node';
import type { IpAllocator } from './ip-allocator.js';
import { PodWorker, type AgentContext } from './pod-worker.js';
import { isSameProcessAlive, signalGroup } from './process-group.js';
import type { PodRecord, StateDir } from './state-dir.js';
import { summarizeError } from './kube-errors.js';

/** Deletes a Pod for good once its processes are gone (grace 0, only this uid). */
export type PodDeleter = (pod: V1Pod) => Promise<void>;

/** A force-deleted Pod's processes still get this long to exit after SIGTERM. */
const goneGraceSeconds = 2;

function isTerminal(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function killRecorded(record: PodRecord, log: Logger): void {
  for (const [container, process] of Object.entries(record.processes)) {
    if (isSameProcessAlive(process.pid, process.startTicks)) {
      log.info({ uid: record.uid, container, pid: process.pid }, 'killing orphaned container process');
      signalGroup(process.pid, 'SIGKILL');
    }
  }
}

/**
 * Keeps one worker per Pod bound to this agent's nodes. Work on one Pod is serialized, and
 * each step looks only at the Pod as it is now (level-based), never at the watch event type.
 */
export class PodManager {
  private readonly workers = new Map<string, PodWorker>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly recovered = new Map<string, PodRecord>();

  constructor(
    private readonly context: AgentContext,
    private readonly ips: IpAllocator,
    private readonly stateDir: StateDir,
    private readonly deletePod: PodDeleter,
  ) {}

  /** Loads the records a previous run left, reserving their Pod IPs so they are not handed out twice. */
  async recover(): Promise<void> {
    for (const record of await this.stateDir.readRecords()) {
      this.recovered.set(record.uid, record);
      if (record.podIP !== undefined) {
        this.ips.reserve(record.podIP);
      }
    }
  }

  /** Kills processes of recovered Pods that no longer exist, once every node has listed its Pods. */
  async killOrphans(existing: ReadonlySet<string>): Promise<void> {
    for (const [uid, record] of this.recovered) {
      if (existing.has(uid)) {
        continue;
      }
      this.recovered.delete(uid);
      killRecorded(record, this.context.log);
      if (record.podIP !== undefined) {
        this.ips.release(record.podIP);
      }
      await this.stateDir.pod(uid).clean();
    }
  }

  /** The uids of Pods with a worker on the given node that a fresh list no longer contains. */
  findVanished(nodeName: string, pods: Iterable<V1Pod>): string[] {
    const listed = new Set([...pods].map((pod) => pod.metadata?.uid ?? ''));
    return [...this.workers.entries()]
      .filter(([uid]) => !listed.has(uid))
      .filter(([, worker]) => worker.nodeName === nodeName)
      .map(([uid]) => uid);
  }

  /** Brings one Pod to its wanted state. */
  handle(pod: V1Pod): void {
    const uid = pod.metadata?.uid ?? '';
    this.enqueue(uid, () => this.reconcile(pod));
  }

  /** Stops a Pod that disappeared from the API server (force-deleted, or gone while the watch was down). */
  handleGone(uid: string): void {
    this.enqueue(uid, async () => {
      await this.stopWorker(uid, goneGraceSeconds);
    });
  }

  /** Stops every Pod process, e.g. when the agent shuts down; the Pods stay and are resumed on the next start. */
  async stopAll(graceSeconds: number): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.suspend(graceSeconds)));
  }

  private enqueue(uid: string, step: () => Promise<void>): void {
    const previous = this.chains.get(uid) ?? Promise.resolve();
    const next = previous.then(step).catch((error: unknown) => {
      this.context.log.error({ uid, err: summarizeError(error) }, 'pod step failed');
    });
    this.chains.set(uid, next);
    void next.then(() => {
      if (this.chains.get(uid) === next) {
        this.chains.delete(uid);
      }
    });
  }

  private async reconcile(pod: V1Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const worker = this.workers.get(uid);
    if (pod.metadata?.deletionTimestamp !== undefined) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? worker?.deletionGraceSeconds ?? 30;
      await this.stopWorker(uid, grace);
      await this.deletePod(pod);
      return;
    }
    if (worker !== undefined) {
      worker.update(pod);
      return;
    }
    const recovered = this.recovered.get(uid);
    this.recovered.delete(uid);
    if (isTerminal(pod)) {
      // A finished Pod is never run again; only leftovers of a previous agent run are cleared.
      if (recovered !== undefined) {
        killRecorded(recovered, this.context.log);
      }
      return;
    }
    const created = new PodWorker(pod, this.context, recovered);
    this.workers.set(uid, created);
    created.start();
  }

  private async stopWorker(uid: string, graceSeconds: number): Promise<void> {
    const worker = this.workers.get(uid);
    const recovered = this.recovered.get(uid);
    if (recovered !== undefined) {
      this.recovered.delete(uid);
      killRecorded(recovered, this.context.log);
      if (recovered.podIP !== undefined) {
        this.ips.release(recovered.podIP);
      }
      await this.stateDir.pod(uid).clean();
    }
    if (worker === undefined) {
      return;
    }
    await worker.terminate(graceSeconds);
    await worker.dispose();
    this.workers.delete(uid);
  }
}
