import type { Logger } from 'pino';
import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';
import { computeBackoffMs } from './backoff.js';
import { buildLaunch } from './container-launch.js';
import type { ObjectReader } from './container-env.js';
import { ContainerRunner, type ContainerHost } from './container-runner.js';
import type { ContainerSnapshot } from './container-state.js';
import type { IpAllocator } from './ip-allocator.js';
import { buildPodStatus } from './pod-status.js';
import { prepareSandbox, type ClusterAccess, type PodSandbox } from './pod-sandbox.js';
import { isSameProcessAlive } from './process-group.js';
import type { Plain } from './plain.js';
import type { PodRecord, ProcessRecord, StateDir } from './state-dir.js';
import type { TokenIssuer } from './volumes.js';
import { isNotFound, summarizeError } from './kube-errors.js';

/** What every Pod worker shares: the host, the API, the Pod network. */
export interface AgentContext {
  readonly repoRoot: string;
  readonly hostIP: string;
  readonly stateDir: StateDir;
  readonly reader: ObjectReader;
  readonly tokens: TokenIssuer;
  readonly cluster: ClusterAccess;
  readonly ips: IpAllocator;
  writeStatus(pod: V1Pod, status: Plain<V1PodStatus>): Promise<void>;
  readonly log: Logger;
}

const statusDebounceMs = 50;
const statusRetryMs = 2_000;

function findStatus(pod: V1Pod, name: string, init: boolean): V1ContainerStatus | undefined {
  const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return statuses?.find((status) => status.name === name);
}

/** The restart count a container resumes with after an agent restart (a fresh process counts as a restart). */
function resumeRestartCount(status: V1ContainerStatus | undefined): number {
  if (status === undefined) {
    return 0;
  }
  const ran = status.state?.running !== undefined || status.state?.terminated !== undefined || status.lastState?.terminated !== undefined;
  return status.restartCount + (ran ? 1 : 0);
}

/** Runs one Pod: prepares its sandbox, runs init containers in order, then its containers, and reports status. */
export class PodWorker {
  private podIP: string | undefined;
  private sandbox: PodSandbox | undefined;
  private setupMessage: string | undefined;
  private setupAttempts = 0;
  private readonly processes: Record<string, ProcessRecord> = {};
  private readonly initRunners: ContainerRunner[];
  private readonly runners: ContainerRunner[];
  private containersStarted = false;
  private stopped = false;
  private readonly startTime: Date;
  private readonly timers = new Set<NodeJS.Timeout>();
  private statusPending = false;
  private statusWrite: Promise<void> = Promise.resolve();
  private lastWritten: string | undefined;
  private lastConditions: Plain<V1PodCondition>[] | undefined;
  private readonly log: Logger;

  constructor(private pod: V1Pod, private readonly context: AgentContext, private readonly recovered: PodRecord | undefined) {
    this.startTime = pod.status?.startTime === undefined ? new Date() : new Date(pod.status.startTime);
    this.log = context.log.child({ namespace: pod.metadata?.namespace, pod: pod.metadata?.name, uid: this.uid });
    const policy = pod.spec?.restartPolicy;
    const restartPolicy = policy === 'OnFailure' || policy === 'Never' ? policy : 'Always';
    const host: ContainerHost = {
      prepareLaunch: (container) => this.prepareLaunch(container),
      recordProcess: (container, pid, startTicks, startedAt) => this.recordProcess(container, pid, startTicks, startedAt),
      graceSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
      uid: this.uid,
    };
    const makeRunner = (container: V1Container, init: boolean): ContainerRunner =>
      new ContainerRunner(container, { init, restartPolicy }, host, () => {
        this.advance();
      }, this.log);
    this.initRunners = (pod.spec?.initContainers ?? []).map((container) => makeRunner(container, true));
    this.runners = (pod.spec?.containers ?? []).map((container) => makeRunner(container, false));
  }

  /** The Pod's uid. */
  get uid(): string {
    return this.pod.metadata?.uid ?? '';
  }

  /** The node the Pod is bound to. */
  get nodeName(): string {
    return this.pod.spec?.nodeName ?? '';
  }

  /** The grace period the Pod asked for when it is deleted. */
  get deletionGraceSeconds(): number {
    return this.pod.metadata?.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30;
  }

  /** Starts preparing and running the Pod. */
  start(): void {
    void this.setup();
  }

  /** Takes the newest copy of the Pod from the watch (labels, annotations and foreign conditions may change). */
  update(pod: V1Pod): void {
    this.pod = pod;
  }

  /** Stops every container of the Pod within the grace period. */
  async terminate(graceSeconds: number): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    await Promise.all([...this.initRunners, ...this.runners].map((runner) => runner.stop(graceSeconds)));
    await this.statusWrite;
  }

  /**
   * Stops the processes because the agent shuts down, and reports the containers not ready (the
   * phase stays Running: the next agent start runs them again), so nobody keeps sending them work.
   */
  async suspend(graceSeconds: number): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    await Promise.all([...this.initRunners, ...this.runners].map((runner) => runner.stop(graceSeconds, false)));
    await this.statusWrite;
    this.stopped = false;
    await this.writeStatus();
    this.stopped = true;
  }

  /** Releases the Pod's IP and removes its sandbox, keeping its logs. */
  async dispose(): Promise<void> {
    if (this.podIP !== undefined && this.podIP !== this.context.hostIP) {
      this.context.ips.release(this.podIP);
    }
    await this.context.stateDir.pod(this.uid).clean();
  }

  private setTimer(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }

  private record(): PodRecord {
    return {
      uid: this.uid, namespace: this.pod.metadata?.namespace ?? '', name: this.pod.metadata?.name ?? '',
      nodeName: this.pod.spec?.nodeName ?? '', podIP: this.podIP, processes: this.processes,
    };
  }

  private async setup(): Promise<void> {
    if (this.stopped) {
      return;
    }
    const dir = this.context.stateDir.pod(this.uid);
    if (this.podIP === undefined) {
      this.podIP = this.pod.spec?.hostNetwork === true ? this.context.hostIP : this.recovered?.podIP ?? this.context.ips.allocate();
    }
    try {
      await dir.create();
      await dir.writeRecord(this.record());
      this.sandbox = await prepareSandbox(dir, this.placement(this.podIP), this.context.reader, this.context.tokens, this.context.cluster);
    } catch (error) {
      this.setupAttempts += 1;
      this.setupMessage = error instanceof Error ? error.message : String(error);
      this.log.warn({ err: summarizeError(error), attempt: this.setupAttempts }, 'pod sandbox not ready');
      this.requestStatus();
      this.setTimer(computeBackoffMs(this.setupAttempts), () => void this.setup());
      return;
    }
    this.setupMessage = undefined;
    this.scheduleTokenRefresh(this.sandbox.refreshInMs);
    this.startRunners();
  }

  private scheduleTokenRefresh(refreshInMs: number | undefined): void {
    if (refreshInMs === undefined) {
      return;
    }
    this.setTimer(refreshInMs, () => {
      const podIP = this.podIP ?? this.context.hostIP;
      prepareSandbox(this.context.stateDir.pod(this.uid), this.placement(podIP), this.context.reader, this.context.tokens, this.context.cluster)
        .then((sandbox) => {
          this.scheduleTokenRefresh(sandbox.refreshInMs);
        }, (error: unknown) => {
          this.log.warn({ err: summarizeError(error) }, 'token refresh failed; retrying');
          this.scheduleTokenRefresh(10_000);
        });
    });
  }

  private placement(podIP: string): { pod: V1Pod; podIP: string; hostIP: string } {
    return { pod: this.pod, podIP, hostIP: this.context.hostIP };
  }

  private startRunners(): void {
    const initialized = this.pod.status?.conditions?.some((condition) => condition.type === 'Initialized' && condition.status === 'True') === true;
    if (this.recovered !== undefined && initialized) {
      for (const runner of this.initRunners) {
        runner.markCompleted(findStatus(this.pod, runner.snapshot().name, true)?.restartCount ?? 0);
      }
    }
    this.advance();
  }

  /** Moves the Pod forward after any container change: next init container, then the containers. */
  private advance(): void {
    this.requestStatus();
    if (this.stopped || this.sandbox === undefined) {
      return;
    }
    for (const runner of this.initRunners) {
      const snapshot = runner.snapshot();
      if (snapshot.done && snapshot.state.kind === 'terminated' && snapshot.state.exitCode === 0) {
        continue;
      }
      if (!snapshot.done && snapshot.state.kind === 'waiting' && snapshot.state.reason === 'ContainerCreating') {
        runner.start(resumeRestartCount(findStatus(this.pod, snapshot.name, true)));
      }
      return;
    }
    if (!this.containersStarted) {
      this.containersStarted = true;
      for (const runner of this.runners) {
        this.startOrAdopt(runner);
      }
    }
  }

  private startOrAdopt(runner: ContainerRunner): void {
    const name = runner.snapshot().name;
    const status = findStatus(this.pod, name, false);
    const previous = this.recovered?.processes[name];
    if (previous !== undefined && isSameProcessAlive(previous.pid, previous.startTicks)) {
      this.processes[name] = previous;
      this.log.info({ container: name, pid: previous.pid }, 'adopted a running container process');
      runner.adopt(previous.pid, previous.startTicks, new Date(previous.startedAt), status?.restartCount ?? 0);
      return;
    }
    runner.start(resumeRestartCount(status));
  }

  private prepareLaunch(container: V1Container): ReturnType<typeof buildLaunch> {
    const { sandbox, podIP } = this;
    if (sandbox === undefined || podIP === undefined) {
      return Promise.reject(new Error('pod sandbox is not ready'));
    }
    return buildLaunch(container, {
      repoRoot: this.context.repoRoot, dir: this.context.stateDir.pod(this.uid), placement: this.placement(podIP),
      sandbox, cluster: this.context.cluster, reader: this.context.reader,
    });
  }

  private async recordProcess(container: string, pid: number, startTicks: string, startedAt: Date): Promise<void> {
    this.processes[container] = { pid, startTicks, startedAt: startedAt.toISOString() };
    await this.context.stateDir.pod(this.uid).writeRecord(this.record());
  }

  private snapshots(runners: readonly ContainerRunner[]): ContainerSnapshot[] {
    return runners.map((runner) => {
      const snapshot = runner.snapshot();
      const creating = snapshot.state.kind === 'waiting' && snapshot.state.reason === 'ContainerCreating';
      return creating && this.setupMessage !== undefined
        ? { ...snapshot, state: { kind: 'waiting', reason: 'ContainerCreating', message: this.setupMessage } }
        : snapshot;
    });
  }

  private requestStatus(): void {
    if (this.statusPending) {
      return;
    }
    this.statusPending = true;
    setTimeout(() => {
      this.statusPending = false;
      this.statusWrite = this.statusWrite.then(() => this.writeStatus());
    }, statusDebounceMs);
  }

  private async writeStatus(): Promise<void> {
    if (this.stopped) {
      // A stopping Pod is about to be deleted; its status no longer matters to anyone.
      return;
    }
    const status = buildPodStatus({
      pod: this.pod, podIP: this.podIP, hostIP: this.context.hostIP, startTime: this.startTime,
      sandboxReady: this.sandbox !== undefined, previousConditions: this.lastConditions,
      initContainers: this.snapshots(this.initRunners), containers: this.snapshots(this.runners),
    }, new Date());
    const serialized = JSON.stringify(status);
    if (serialized === this.lastWritten) {
      return;
    }
    try {
      await this.context.writeStatus(this.pod, status);
      this.lastWritten = serialized;
      this.lastConditions = status.conditions;
    } catch (error) {
      if (isNotFound(error)) {
        // The Pod is gone; the watch will tell the manager, which stops this worker.
        return;
      }
      this.log.warn({ err: summarizeError(error) }, 'pod status write failed; retrying');
      this.setTimer(statusRetryMs, () => {
        this.requestStatus();
      });
    }
  }
}
