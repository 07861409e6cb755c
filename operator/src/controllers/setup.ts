// Registers the operator's informers and its two controllers on a runtime Manager.
import type {
  V1Deployment,
  V1EndpointSlice,
  V1NetworkPolicy,
  V1Pod,
  V1PodDisruptionBudget,
  V1Secret,
  V1Service,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { apiVersion, pathFor, resources, type ProofRequest, type PxlCore } from '../../../crds/index.js';
import { Applier, keyOf, type KubeClient, type Manager } from '../runtime/index.js';
import { Dispatcher } from './proofrequest/dispatcher.js';
import { Flights } from './proofrequest/flights.js';
import { LastWritten } from './proofrequest/fresher.js';
import { ProofMetrics } from './proofrequest/metrics.js';
import { ProofRequestReconciler } from './proofrequest/reconciler.js';
import { isDecided } from './proofrequest/status.js';
import { StatusWriter } from './proofrequest/status-writer.js';
import { TokenSource } from './proofrequest/tokens.js';
import { WaitingRoom } from './proofrequest/waiting-room.js';
import { CoreGatherer } from './pxlcore/gather.js';
import type { OperatorIdentity } from './pxlcore/network-policy.js';
import { PxlCoreReconciler } from './pxlcore/reconciler.js';
import { EventRecorder } from './shared/events.js';

/** The operator settings the controllers need. */
export interface ControllerSettings {
  /** Watch one namespace; undefined watches all. */
  readonly namespace: string | undefined;
  readonly workers: number;
  readonly defaultImage: string;
  readonly operator: OperatorIdentity;
  readonly maxAttempts: number;
}

/** Handles to what setup created, for shutdown and tests. */
export interface ControllerHandles {
  /** Aborts every proof in flight. */
  readonly cancelFlights: () => void;
}

const managedBy = 'app.kubernetes.io/managed-by=pxl-operator';
/** Queue-depth changes reach the core's status at most this often. */
const coreLoadRefreshMs = 1000;

function pathOf(group: string, plural: string, namespace: string | undefined): string {
  const base = group === '' ? '/api/v1' : `/apis/${group}`;
  return namespace === undefined ? `${base}/${plural}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}

/** Creates the informers and controllers; the manager starts them. */
export function setupControllers(manager: Manager, client: KubeClient, registry: Registry, logger: Logger, settings: ControllerSettings): ControllerHandles {
  const ns = settings.namespace;
  const cores = manager.informer<PxlCore>({ path: pathFor(resources.PxlCore.plural, ns) });
  const requests = manager.informer<ProofRequest>({ path: pathFor(resources.ProofRequest.plural, ns) });
  const deployments = manager.informer<V1Deployment>({ path: pathOf('apps/v1', 'deployments', ns), labelSelector: managedBy });
  const services = manager.informer<V1Service>({ path: pathOf('', 'services', ns), labelSelector: managedBy });
  const serviceAccounts = manager.informer<V1ServiceAccount>({ path: pathOf('', 'serviceaccounts', ns), labelSelector: managedBy });
  const secrets = manager.informer<V1Secret>({ path: pathOf('', 'secrets', ns), labelSelector: managedBy });
  const budgets = manager.informer<V1PodDisruptionBudget>({ path: pathOf('policy/v1', 'poddisruptionbudgets', ns), labelSelector: managedBy });
  const policies = manager.informer<V1NetworkPolicy>({ path: pathOf('networking.k8s.io/v1', 'networkpolicies', ns), labelSelector: managedBy });
  const pods = manager.informer<V1Pod>({ path: pathOf('', 'pods', ns), labelSelector: 'app.kubernetes.io/name=pxl-prover' });
  const slices = manager.informer<V1EndpointSlice>({ path: pathOf('discovery.k8s.io/v1', 'endpointslices', ns), labelSelector: 'app.kubernetes.io/name=pxl-prover' });

  const applier = new Applier(client);
  const metrics = new ProofMetrics(registry);
  const events = new EventRecorder(client, logger.child({ component: 'events' }));
  const owner = { apiVersion, kind: resources.PxlCore.kind };

  const coreReconciler = new PxlCoreReconciler({
    applier,
    gatherer: new CoreGatherer({ client, secrets, endpointSlices: slices, pods }),
    cores,
    deployments,
    networkPolicies: policies,
    proofRequests: requests,
    operator: settings.operator,
    defaultImage: settings.defaultImage,
    metrics,
    childCaches: {
      Deployment: deployments,
      Service: services,
      ServiceAccount: serviceAccounts,
      Secret: secrets,
      PodDisruptionBudget: budgets,
      NetworkPolicy: policies,
    },
  });
  const coreController = manager.controller<PxlCore>({ name: 'pxlcore', primary: cores, workers: Math.max(1, Math.min(settings.workers, 2)), reconcile: (c) => coreReconciler.reconcile(c) });
  coreController.owns(deployments, owner).owns(services, owner).owns(serviceAccounts, owner);
  coreController.owns(secrets, owner).owns(budgets, owner).owns(policies, owner);
  requests.onChange((_key, request) => {
    coreController.enqueueAfter(`${request.metadata.namespace ?? ''}/${request.spec.coreRef.name}`, coreLoadRefreshMs);
  });

  const waiting = new WaitingRoom();
  const lastWritten = new LastWritten();
  const writer = new StatusWriter(client, lastWritten);
  // The controller does not exist yet when Flights is built; landings only happen after it started.
  const land: { enqueue: (key: string) => void } = { enqueue: () => undefined };
  const flights = new Flights((flight) => {
    land.enqueue(flight.key);
    for (const key of waiting.wake(flight.coreKey, 2)) land.enqueue(key);
  });
  const dispatcher = new Dispatcher({ endpointSlices: slices, pods, flights, waiting, tokens: new TokenSource(client, secrets), writer });
  const requestReconciler = new ProofRequestReconciler({
    applier, requests, cores, flights, waiting, lastWritten, writer, dispatcher, metrics, events, maxAttempts: settings.maxAttempts,
  });
  const requestController = manager.controller<ProofRequest>({ name: 'proofrequest', primary: requests, workers: settings.workers, reconcile: (c) => requestReconciler.reconcile(c) });
  land.enqueue = (key) => { requestController.enqueue(key); };
  requestController.watches(cores, (core) => {
    const namespace = core.metadata.namespace ?? '';
    const name = core.metadata.name ?? '';
    return requests
      .list({ namespace })
      .filter((r) => r.spec.coreRef.name === name && !isDecided(r.status, r.metadata.generation ?? 0) && flights.find(keyOf(r)) === undefined)
      .map(keyOf);
  });
  requestController.watches(slices, (slice) => {
    const service = slice.metadata?.labels?.['kubernetes.io/service-name'];
    if (service === undefined) return [];
    return waiting.wake(`${slice.metadata?.namespace ?? ''}/${service}`, Number.POSITIVE_INFINITY);
  });
  requestController.watches(pods, (pod) => {
    const instance = pod.metadata?.labels?.['app.kubernetes.io/instance'];
    if (instance === undefined) return [];
    return waiting.wake(`${pod.metadata?.namespace ?? ''}/${instance}`, Number.POSITIVE_INFINITY);
  });
  return { cancelFlights: () => { flights.cancelAll(); } };
}
