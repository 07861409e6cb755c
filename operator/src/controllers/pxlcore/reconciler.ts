// The PxlCore reconciler: fetch → gather → build children → apply → status → look again.
import type { KubernetesObject, V1Deployment, V1NetworkPolicy } from '@kubernetes/client-node';
import { apiVersion, type ProofRequest, type PxlCore, type PxlCoreStatus } from '../../../../crds/index.js';
import type { Applier, Informer, ReconcileContext, ReconcileOutcome } from '../../runtime/index.js';
import type { ProofMetrics } from '../proofrequest/metrics.js';
import { isJsonEqual } from '../shared/deep-equal.js';
import { buildChildren, identifyCore, resolvePodSettings, wantsNetworkPolicy, type ChildManifest } from './desired.js';
import type { CoreGatherer } from './gather.js';
import { countCoreLoad } from './load.js';
import { childNames, formatSelector } from './names.js';
import type { OperatorIdentity } from './network-policy.js';
import { computeDesiredReplicas } from './replicas.js';
import { computeCoreStatus } from './status.js';

/** Everything the PxlCore reconciler reads and writes through. */
export interface PxlCoreReconcilerDeps {
  readonly applier: Applier;
  readonly gatherer: CoreGatherer;
  readonly cores: Informer<PxlCore>;
  readonly deployments: Informer<V1Deployment>;
  readonly networkPolicies: Informer<V1NetworkPolicy>;
  readonly proofRequests: Informer<ProofRequest>;
  readonly operator: OperatorIdentity;
  readonly defaultImage: string;
  readonly metrics: ProofMetrics;
  /** The caches of every child kind, by kind, to notice drift without re-applying. */
  readonly childCaches: Readonly<Record<string, Informer<KubernetesObject> | undefined>>;
}

/** Periodic look even when nothing changed: picks up edits of a user's kernel ConfigMap or token Secret. */
const resyncMs = 5 * 60 * 1000;

/** Reconciles one PxlCore into its ServiceAccount, token Secret, Service, PodDisruptionBudget, NetworkPolicy and Deployment. */
export class PxlCoreReconciler {
  private readonly deps: PxlCoreReconcilerDeps;
  /** What was last applied per core and the children's versions right after; owned by this reconciler. */
  private readonly lastApplied = new Map<string, { desired: string; versions: string | undefined }>();

  constructor(deps: PxlCoreReconcilerDeps) {
    this.deps = deps;
  }

  /** One pass of the checklist for the core with `context.key`. */
  async reconcile(context: ReconcileContext): Promise<ReconcileOutcome | undefined> {
    const core = this.deps.cores.get(context.key);
    // Children carry owner references: the garbage collector removes them with the core.
    if (core === undefined || core.metadata.deletionTimestamp !== undefined) return undefined;
    const gathered = await this.deps.gatherer.gather(core, context.signal);
    const load = countCoreLoad(this.deps.proofRequests.list({ namespace: context.namespace ?? '' }), context.name);
    const replicas = computeDesiredReplicas(core.spec?.replicas, core.spec?.autoscaling, load.waiting + load.running);
    const settings = resolvePodSettings(core, this.deps.defaultImage, replicas, gathered);
    await this.applyChildren(buildChildren(core, this.deps.operator, settings, gathered));
    await this.pruneNetworkPolicy(core);
    const status = computeCoreStatus(core.status, {
      generation: core.metadata.generation ?? 0,
      desiredReplicas: replicas,
      deployment: this.deps.deployments.get(context.key),
      selector: formatSelector(context.name),
      kernelHash: gathered.kernelHash,
      queueDepth: load.waiting,
      problem: gathered.problem,
    }, new Date().toISOString());
    await this.writeStatus(core, status);
    this.deps.metrics.queueDepth.set({ namespace: context.namespace ?? '', core: context.name }, load.waiting);
    // Without a hash yet (built-in kernel, provers still starting) look again soon: /version will tell.
    return { requeueAfterMs: status.kernelHash === undefined ? 5000 : resyncMs };
  }

  private async applyChildren(children: readonly ChildManifest[]): Promise<void> {
    const desired = JSON.stringify(children);
    const key = `${children[0]?.metadata.namespace ?? ''}/${children[0]?.metadata.name ?? ''}`;
    const last = this.lastApplied.get(key);
    // Queue-depth changes reconcile a busy core every second; re-applying unchanged children then only
    // loads the API server. Any edit of a child changes its resourceVersion, so drift is still reverted.
    if (last?.desired === desired && last.versions === this.observeVersions(children)) return;
    for (const child of children) await this.deps.applier.apply(child);
    this.lastApplied.set(key, { desired, versions: this.observeVersions(children) });
  }

  /** The resourceVersions the caches hold for the children, or undefined when one is not cached (yet). */
  private observeVersions(children: readonly ChildManifest[]): string | undefined {
    const versions: string[] = [];
    for (const child of children) {
      const informer = this.deps.childCaches[child.kind];
      if (informer === undefined) return undefined;
      const version = informer.get(`${child.metadata.namespace ?? ''}/${child.metadata.name ?? ''}`)?.metadata?.resourceVersion;
      if (version === undefined) return undefined;
      versions.push(version);
    }
    return versions.join(',');
  }

  private async pruneNetworkPolicy(core: PxlCore): Promise<void> {
    if (wantsNetworkPolicy(core)) return;
    const identity = identifyCore(core);
    const name = childNames(identity.name).networkPolicy;
    const existing = this.deps.networkPolicies.get(`${identity.namespace}/${name}`);
    const ownedByCore = existing?.metadata?.ownerReferences?.some((ref) => ref.uid === identity.uid && ref.controller === true) === true;
    if (!ownedByCore) return;
    await this.deps.applier.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: identity.namespace } });
  }

  private async writeStatus(core: PxlCore, status: PxlCoreStatus): Promise<void> {
    if (isJsonEqual(core.status, status)) return;
    await this.deps.applier.applyStatus({ apiVersion, kind: 'PxlCore', metadata: { name: core.metadata.name ?? '', namespace: core.metadata.namespace ?? '' }, status });
  }
}
