// The reconcile metrics of API §5, registered on the one registry the process passes around.
import { Counter, Histogram, type Registry } from 'prom-client';

/** Outcomes of one reconcile, the `result` label of pxl_reconcile_total. */
export const reconcileResults = {
  success: 'success',
  requeue: 'requeue',
  notFound: 'not_found',
  transientError: 'transient_error',
  permanentError: 'permanent_error',
} as const;

/** One reconcile outcome. */
export type ReconcileResultLabel = (typeof reconcileResults)[keyof typeof reconcileResults];

/** The reconcile counters and timings every controller reports into. */
export interface ReconcileMetrics {
  readonly total: Counter<'controller' | 'result'>;
  readonly duration: Histogram<'controller'>;
}

/** Registers pxl_reconcile_total and pxl_reconcile_duration_seconds on the registry (once per registry). */
export function createReconcileMetrics(registry: Registry): ReconcileMetrics {
  const existingTotal = registry.getSingleMetric('pxl_reconcile_total');
  const existingDuration = registry.getSingleMetric('pxl_reconcile_duration_seconds');
  if (existingTotal instanceof Counter && existingDuration instanceof Histogram) {
    return { total: existingTotal, duration: existingDuration };
  }
  return {
    total: new Counter({
      name: 'pxl_reconcile_total',
      help: 'Reconciles by controller and result (success, requeue, not_found, transient_error, permanent_error).',
      labelNames: ['controller', 'result'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'pxl_reconcile_duration_seconds',
      help: 'Time spent in one reconcile, by controller.',
      labelNames: ['controller'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
