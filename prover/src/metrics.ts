// Prometheus metrics of the prover (API §5) plus default process metrics, on a registry of its own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CheckEngine } from './check/types.js';
import type { AdmissionGate } from './prove/admission.js';

/** The prover's metrics, registered on `registry`. */
export interface ProverMetrics {
  readonly registry: Registry;
  readonly checks: Counter<'verdict' | 'backend'>;
  readonly checkDuration: Histogram<'backend'>;
  readonly cacheHits: Counter;
  readonly httpRequests: Counter<'route' | 'code'>;
}

/** Where the gauges read their current values from; either may be absent while the engine starts. */
export interface MetricSources {
  readonly engine: () => CheckEngine | undefined;
  readonly gate: () => AdmissionGate | undefined;
}

/** Creates the registry with API §5's prover metrics, gauges that read the live engine, and default metrics. */
export function createProverMetrics(sources: MetricSources): ProverMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const checks = new Counter({
    name: 'pxl_prover_checks_total',
    help: 'Proof requests answered, by verdict and backend (cache hits included).',
    labelNames: ['verdict', 'backend'] as const,
    registers: [registry],
  });
  const checkDuration = new Histogram({
    name: 'pxl_prover_check_duration_seconds',
    help: 'Time to answer a proof request, from the validated body to the verdict.',
    labelNames: ['backend'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: 'pxl_prover_sessions',
    help: 'Coq sessions by state (idle, busy, starting).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const states = sources.engine()?.sessionStates() ?? { idle: 0, busy: 0, starting: 0 };
      for (const [state, count] of Object.entries(states)) this.set({ state }, count);
    },
  });
  const seenRestarts = new Map<string, number>();
  new Counter({
    name: 'pxl_prover_session_restarts_total',
    help: 'Coq sessions restarted, by reason (timeout, crash, recycle, cancelled).',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      // The engine keeps running totals; the counter advances by what happened since the last scrape.
      for (const [reason, total] of Object.entries(sources.engine()?.sessionRestarts() ?? {})) {
        this.inc({ reason }, Math.max(0, total - (seenRestarts.get(reason) ?? 0)));
        seenRestarts.set(reason, Math.max(total, seenRestarts.get(reason) ?? 0));
      }
    },
  });
  new Gauge({
    name: 'pxl_prover_queue_waiting',
    help: 'Proof requests waiting for a free session.',
    registers: [registry],
    collect() {
      this.set(sources.gate()?.waiting ?? 0);
    },
  });
  const cacheHits = new Counter({ name: 'pxl_prover_cache_hits_total', help: 'Proof requests answered from the result cache.', registers: [registry] });
  const httpRequests = new Counter({
    name: 'pxl_prover_http_requests_total',
    help: 'HTTP requests by route and status code.',
    labelNames: ['route', 'code'] as const,
    registers: [registry],
  });
  return { registry, checks, checkDuration, cacheHits, httpRequests };
}
