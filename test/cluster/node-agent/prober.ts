import type { V1Probe } from '@kubernetes/client-node';
import { runProbe, type ProbeTarget } from './probes.js';

/** The three probe kinds of a container. */
export const ProbeKind = { startup: 'startup', readiness: 'readiness', liveness: 'liveness' } as const;
/** One of the probe kinds. */
export type ProbeKind = (typeof ProbeKind)[keyof typeof ProbeKind];

/** Until the first success, readiness is polled at least this often so a fresh Pod becomes Ready quickly. */
const eagerReadinessIntervalMs = 500;

/**
 * Runs one probe on its period and applies the success and failure thresholds, reporting only
 * when the result flips — the kubelet's worker for a single probe.
 */
export class Prober {
  private healthy: boolean;
  private everSucceeded = false;
  private successes = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kind: ProbeKind,
    private readonly probe: V1Probe,
    private readonly target: ProbeTarget,
    private readonly onFlip: (healthy: boolean, message: string) => void,
  ) {
    // Liveness is presumed healthy until it fails; startup and readiness must first succeed.
    this.healthy = kind === ProbeKind.liveness;
  }

  /** Starts probing after the probe's initial delay. */
  start(): void {
    this.schedule((this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  /** Stops probing; no callback fires afterwards. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      void this.attempt();
    }, delayMs);
  }

  private nextDelayMs(): number {
    const periodMs = (this.probe.periodSeconds ?? 10) * 1000;
    const eager = this.kind !== ProbeKind.liveness && !this.everSucceeded;
    return eager ? Math.min(periodMs, eagerReadinessIntervalMs) : periodMs;
  }

  private async attempt(): Promise<void> {
    const result = await runProbe(this.probe, this.target);
    if (this.stopped) {
      return;
    }
    if (result.ok) {
      this.successes += 1;
      this.failures = 0;
      this.everSucceeded = true;
    } else {
      this.failures += 1;
      this.successes = 0;
    }
    const successThreshold = this.kind === ProbeKind.readiness ? this.probe.successThreshold ?? 1 : 1;
    const failureThreshold = this.probe.failureThreshold ?? 3;
    if (!this.healthy && this.successes >= successThreshold) {
      this.healthy = true;
      this.onFlip(true, '');
    } else if (this.healthy && this.failures >= failureThreshold) {
      this.healthy = false;
      this.onFlip(false, result.message);
    }
    // A startup probe is done once it succeeded; the others keep running for the container's life.
    if (!(this.kind === ProbeKind.startup && this.healthy)) {
      this.schedule(this.nextDelayMs());
    }
  }
}
