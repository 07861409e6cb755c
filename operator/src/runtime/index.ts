// The operator runtime's public API: everything the controllers and main.ts use comes from here.
export { Applier, operatorFieldManager, type DeleteOptions, type ObjectRef } from './apply.js';
export { computeBackoffMs, defaultQueueBackoff, type BackoffOptions } from './backoff.js';
export {
  Controller,
  mapToOwnerKeys,
  type ControllerOptions,
  type KeyMapper,
  type OwnedObject,
  type ReconcileContext,
  type ReconcileFunction,
  type ReconcileOutcome,
} from './controller.js';
export {
  KubeApiError,
  KubeConnectionError,
  NotFoundError,
  PermanentError,
  TransientError,
  classifyError,
  errorClasses,
  isConflict,
  isNotFound,
  type ErrorClass,
} from './errors.js';
export { startHealthServer, type HealthServer, type HealthServerOptions, type Readiness } from './health-server.js';
export { Informer, keyOf, splitKey, type ChangeHandler, type InformerOptions, type ListFilter } from './informer.js';
export { KubeClient, type KubeList, type KubeRequestOptions } from './kube-client.js';
export {
  LeaderElector,
  createIdentity,
  defaultLeaderElectionTimings,
  type LeaderCallbacks,
  type LeaderElectionTimings,
  type LeaderElectorOptions,
} from './leader-election.js';
export { Manager, stopReasons, type ManagerOptions, type StopReason } from './manager.js';
export { createReconcileMetrics, reconcileResults, type ReconcileMetrics } from './metrics.js';
export { ResourcePaths, buildPath, type ResourceInfo } from './resource-paths.js';
export { WorkQueue } from './work-queue.js';
