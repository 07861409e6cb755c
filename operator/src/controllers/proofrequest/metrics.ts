// The ProofRequest metrics of API §5, registered on the operator's registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Verdict counts, create→verdict latency and queue depth per core. */
export class ProofMetrics {
  readonly verdicts: Counter<'namespace' | 'core' | 'phase'>;
  readonly duration: Histogram;
  readonly queueDepth: Gauge<'namespace' | 'core'>;

  constructor(registry: Registry) {
    this.verdicts = new Counter({
      name: 'pxl_proofrequests_total',
      help: 'ProofRequest generations that reached a final phase, by namespace, core and phase.',
      labelNames: ['namespace', 'core', 'phase'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'pxl_proof_duration_seconds',
      help: 'Seconds from a ProofRequest being created to its verdict.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.queueDepth = new Gauge({
      name: 'pxl_queue_depth',
      help: 'ProofRequests waiting for a prover of a core.',
      labelNames: ['namespace', 'core'],
      registers: [registry],
    });
  }

  /** Counts one verdict and observes its latency from the request's creation. */
  recordVerdict(namespace: string, core: string, phase: string, createdAt: string | undefined, now: number): void {
    this.verdicts.inc({ namespace, core, phase });
    const created = createdAt === undefined ? Number.NaN : Date.parse(createdAt);
    if (Number.isFinite(created)) this.duration.observe(Math.max(0, (now - created) / 1000));
  }
}
