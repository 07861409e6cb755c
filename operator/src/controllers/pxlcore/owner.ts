// Object metadata shared by every child: namespace, labels and the controller owner reference.
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import type { Plain } from '../shared/plain.js';
import { childLabels } from './names.js';

/** The identity of a PxlCore as its children's owner reference needs it. */
export interface CoreIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

/** The controller owner reference that ties a child to its PxlCore (garbage collection, watches). */
export function buildOwnerReference(core: CoreIdentity): Plain<V1OwnerReference> {
  return { apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'PxlCore', name: core.name, uid: core.uid, controller: true, blockOwnerDeletion: true };
}

/** Metadata of a child named `name`, owned by `core`. */
export function buildChildMeta(core: CoreIdentity, name: string): Plain<V1ObjectMeta> {
  return { name, namespace: core.namespace, labels: childLabels(core.name), ownerReferences: [buildOwnerReference(core)] };
}
