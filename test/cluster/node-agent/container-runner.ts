import type { Logger } from 'pino';
import type { V1Container } from '@kubernetes/client-node';
import { backoffResetAfterMs, computeBackoffMs } from './backoff.js';
import type { ContainerSnapshot, ContainerState, TerminatedState } from './container-state.js';
import { ContainerConfigError, ContainerCreateError } from './errors.js';
import { isSameProcessAlive, signalGroup, startProcess, type ProcessExit, type ProcessSpec } from './process-group.js';
import { ProbeKind, Prober } from './prober.js';
import type { ProbeTarget } from './probes.js';
import { summarizeError } from './kube-errors.js';

/** What the Pod gives each of its containers: how to launch it and where to record its process. */
export interface ContainerHost {
  prepareLaunch(container: V1Container): Promise<{ spec: ProcessSpec; probeTarget: ProbeTarget }>;
  recordProcess(container: string, pid: number, startTicks: string, startedAt: Date): Promise<void>;
  readonly graceSeconds: number;
  readonly uid: string;
}

/** Whether a container runs to completion (init) or for the Pod's life (regular), and the Pod's restart policy. */
export interface ContainerRole {
  readonly init: boolean;
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
}

const adoptedPollMs = 1_000;

/**
 * Runs one container as a host process: starts it, probes it, restarts it under the restart
 * policy with capped back-off, and stops it with SIGTERM then SIGKILL after the grace period.
 */
export class ContainerRunner {
  private state: ContainerState = { kind: 'waiting', reason: 'ContainerCreating' };
  private lastState: TerminatedState | undefined;
  private restartCount = 0;
  private crashes = 0;
  private started = false;
  private ready = false;
  private done = false;
  private stopping = false;
  private launched = false;
  private finalStop = true;
  private pid: number | undefined;
  private probers: Prober[] = [];
  private timer: NodeJS.Timeout | undefined;
  private exited: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly container: V1Container,
    private readonly role: ContainerRole,
    private readonly host: ContainerHost,
    private readonly onChange: () => void,
    private readonly log: Logger,
  ) {}

  /** The container's state for the Pod status. */
  snapshot(): ContainerSnapshot {
    return {
      name: this.container.name, image: this.container.image ?? '', state: this.state, lastState: this.lastState,
      restartCount: this.restartCount, ready: this.ready, started: this.started, done: this.done,
      containerID: this.pid === undefined ? undefined : `pxl://${this.host.uid}/${this.container.name}/${String(this.restartCount)}`,
    };
  }

  /** Starts the container (first attempt). */
  start(restartCount: number): void {
    if (this.launched) {
      return;
    }
    this.launched = true;
    this.restartCount = restartCount;
    this.schedule(0);
  }

  /** Marks an init container as having completed before an agent restart, so it is not run again. */
  markCompleted(restartCount: number): void {
    const now = new Date();
    this.restartCount = restartCount;
    this.state = { kind: 'terminated', exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now };
    this.done = true;
  }

  /** Takes over a process that survived an agent restart; its exit code will not be known. */
  adopt(pid: number, startTicks: string, startedAt: Date, restartCount: number): void {
    this.launched = true;
    this.restartCount = restartCount;
    this.pid = pid;
    this.state = { kind: 'running', startedAt };
    this.exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!isSameProcessAlive(pid, startTicks)) {
          clearInterval(poll);
          resolve();
          this.handleExit({ exitCode: 137, signal: undefined, finishedAt: new Date() }, startedAt, 'ContainerStatusUnknown');
        }
      }, adoptedPollMs);
    });
    this.startProbes(this.host.prepareLaunch(this.container).then((launch) => launch.probeTarget));
  }

  /**
   * Stops the container: SIGTERM to its process group, SIGKILL after the grace period. A final stop
   * (Pod deleted) marks it done; a suspension (agent shutting down) leaves it to run again later.
   */
  async stop(graceSeconds: number, final = true): Promise<void> {
    this.stopping = true;
    this.finalStop = final;
    clearTimeout(this.timer);
    this.stopProbes();
    if (this.state.kind === 'running' && this.pid !== undefined) {
      await this.kill(this.pid, graceSeconds);
    }
    this.done = this.done || final;
    this.onChange();
  }

  // A method, not the field, so the compiler does not assume it is unchanged across an await.
  private isStopping(): boolean {
    return this.stopping;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.launch();
    }, delayMs);
  }

  private async launch(): Promise<void> {
    if (this.stopping) {
      return;
    }
    try {
      const { spec, probeTarget } = await this.host.prepareLaunch(this.container);
      if (this.isStopping()) {
        return;
      }
      const process = await startProcess(spec);
      this.pid = process.pid;
      if (this.isStopping()) {
        // stop() ran while the process was being spawned; it must not outlive the Pod.
        signalGroup(process.pid, 'SIGKILL');
        return;
      }
      this.state = { kind: 'running', startedAt: process.startedAt };
      this.log.info({ container: this.container.name, pid: process.pid, restartCount: this.restartCount }, 'container started');
      await this.host.recordProcess(this.container.name, process.pid, process.startTicks, process.startedAt);
      this.exited = process.exited.then((exit) => {
        this.handleExit(exit, process.startedAt, undefined);
      });
      this.startProbes(Promise.resolve(probeTarget));
      this.onChange();
    } catch (error) {
      const known = error instanceof ContainerConfigError || error instanceof ContainerCreateError;
      const message = error instanceof Error ? error.message : String(error);
      this.state = { kind: 'waiting', reason: known ? error.reason : 'RunContainerError', message };
      this.log.warn({ container: this.container.name, err: summarizeError(error) }, 'container could not start');
      this.crashes += 1;
      this.onChange();
      this.schedule(computeBackoffMs(this.crashes));
    }
  }

  private handleExit(exit: ProcessExit, startedAt: Date, reason: string | undefined): void {
    this.stopProbes();
    const terminated: TerminatedState = {
      kind: 'terminated', exitCode: exit.exitCode, startedAt, finishedAt: exit.finishedAt,
      reason: reason ?? (exit.exitCode === 0 ? 'Completed' : 'Error'),
      ...(exit.signal === undefined ? {} : { signal: exit.exitCode - 128 }),
      ...(reason === 'ContainerStatusUnknown' ? { message: 'the process was adopted after a node agent restart; its exit code is unknown' } : {}),
    };
    this.state = terminated;
    this.started = false;
    this.ready = false;
    this.log.info({ container: this.container.name, exitCode: exit.exitCode, signal: exit.signal }, 'container exited');
    if (this.stopping || !this.shouldRestart(exit.exitCode)) {
      this.done = this.stopping ? this.finalStop : true;
      this.onChange();
      return;
    }
    const ranMs = exit.finishedAt.getTime() - startedAt.getTime();
    this.crashes = ranMs >= backoffResetAfterMs ? 1 : this.crashes + 1;
    const delayMs = computeBackoffMs(this.crashes);
    this.lastState = terminated;
    this.state = {
      kind: 'waiting', reason: 'CrashLoopBackOff',
      message: `back-off ${String(Math.round(delayMs / 1000))}s restarting failed container=${this.container.name}`,
    };
    this.restartCount += 1;
    this.onChange();
    this.schedule(delayMs);
  }

  private shouldRestart(exitCode: number): boolean {
    if (this.role.init) {
      return exitCode !== 0 && this.role.restartPolicy !== 'Never';
    }
    return this.role.restartPolicy === 'Always' || (this.role.restartPolicy === 'OnFailure' && exitCode !== 0);
  }

  private startProbes(target: Promise<ProbeTarget>): void {
    const { startupProbe, readinessProbe, livenessProbe } = this.container;
    if (this.role.init) {
      return;
    }
    void target.then((probeTarget) => {
      if (this.stopping || this.state.kind !== 'running') {
        return;
      }
      const afterStartup = (): void => {
        this.started = true;
        this.ready = readinessProbe === undefined;
        if (readinessProbe !== undefined) {
          this.addProber(ProbeKind.readiness, readinessProbe, probeTarget, (healthy) => {
            this.ready = healthy;
          });
        }
        if (livenessProbe !== undefined) {
          this.addProber(ProbeKind.liveness, livenessProbe, probeTarget, (healthy, message) => {
            if (!healthy) {
              this.restartAfterLivenessFailure(message);
            }
          });
        }
        this.onChange();
      };
      if (startupProbe === undefined) {
        afterStartup();
      } else {
        this.addProber(ProbeKind.startup, startupProbe, probeTarget, (healthy) => {
          if (healthy) {
            afterStartup();
          }
        });
      }
    }, (error: unknown) => {
      this.log.warn({ container: this.container.name, err: summarizeError(error) }, 'probes not started');
    });
  }

  private addProber(kind: ProbeKind, probe: NonNullable<V1Container['readinessProbe']>, target: ProbeTarget, onFlip: (healthy: boolean, message: string) => void): void {
    const prober = new Prober(kind, probe, target, (healthy, message) => {
      onFlip(healthy, message);
      this.onChange();
    });
    this.probers.push(prober);
    prober.start();
  }

  private stopProbes(): void {
    for (const prober of this.probers) {
      prober.stop();
    }
    this.probers = [];
  }

  private restartAfterLivenessFailure(message: string): void {
    const pid = this.pid;
    this.log.info({ container: this.container.name, message }, 'liveness probe failed; killing container');
    this.stopProbes();
    if (pid !== undefined) {
      const grace = this.container.livenessProbe?.terminationGracePeriodSeconds ?? this.host.graceSeconds;
      void this.kill(pid, grace);
    }
  }

  private async kill(pid: number, graceSeconds: number): Promise<void> {
    signalGroup(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceSeconds * 1000);
    });
    await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    // SIGKILL the group even after the leader exited, so no child the process forked lingers.
    signalGroup(pid, 'SIGKILL');
    await this.exited;
  }
}
