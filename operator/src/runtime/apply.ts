// Server-side apply of whole objects and of status, under one field manager, plus the few other writes.
import { isNotFound } from './errors.js';
import type { KubeClient } from './kube-client.js';
import { ResourcePaths } from './resource-paths.js';

/** The field manager every write of the operator uses. */
export const operatorFieldManager = 'pxl-operator';

/** The identity of an object: enough to find its REST path. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string };
}

/** Options of a delete. */
export interface DeleteOptions {
  /** Orphan, Background or Foreground; Background when unset. */
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** Delete only if the object still has this uid (a recreated object of the same name is kept). */
  readonly uid?: string;
  /** Delete only if the object still has this resourceVersion. */
  readonly resourceVersion?: string;
}

const applyContentType = 'application/apply-patch+yaml';

/** Writes objects the declarative way: each call states every field the operator owns, forced, under one manager. */
export class Applier {
  /** Resolves REST paths; shared so discovery happens once per group version. */
  readonly paths: ResourcePaths;
  private readonly client: KubeClient;
  private readonly fieldManager: string;

  constructor(client: KubeClient, options: { fieldManager?: string; paths?: ResourcePaths } = {}) {
    this.client = client;
    this.fieldManager = options.fieldManager ?? operatorFieldManager;
    this.paths = options.paths ?? new ResourcePaths(client);
  }

  /** Server-side applies an object (force=true: fields this manager states are taken over from others) and returns it. */
  async apply<T extends ObjectRef>(object: T): Promise<T> {
    const path = await this.pathOf(object);
    return this.client.request<T>('PATCH', path, {
      body: object,
      contentType: applyContentType,
      query: { fieldManager: this.fieldManager, force: true, fieldValidation: 'Strict' },
    });
  }

  /**
   * Server-side applies the status subresource: `object` carries apiVersion, kind, name, namespace and the
   * complete status this manager owns (fields it stops stating are removed).
   */
  async applyStatus<T extends ObjectRef>(object: T & { status: unknown }): Promise<T> {
    const path = (await this.pathOf(object)) + '/status';
    const body = { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, status: object.status };
    return this.client.request<T>('PATCH', path, {
      body,
      contentType: applyContentType,
      query: { fieldManager: this.fieldManager, force: true, fieldValidation: 'Strict' },
    });
  }

  /**
   * Merge-patches the status subresource; with `resourceVersion` the write fails with 409 when the object
   * changed since it was read (use it when the status must not overwrite a newer decision).
   */
  async patchStatus<T extends ObjectRef>(ref: ObjectRef, status: unknown, options: { resourceVersion?: string } = {}): Promise<T> {
    const path = (await this.pathOf(ref)) + '/status';
    const metadata = options.resourceVersion === undefined ? {} : { metadata: { resourceVersion: options.resourceVersion } };
    return this.client.request<T>('PATCH', path, {
      body: { ...metadata, status },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: this.fieldManager },
    });
  }

  /** Reads an object from the API server (not from a cache); undefined when it does not exist. */
  async get<T extends ObjectRef>(ref: ObjectRef): Promise<T | undefined> {
    return this.client.getOrUndefined<T>(await this.pathOf(ref));
  }

  /** Deletes an object; true when this call deleted it, false when it was already gone. */
  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const preconditions: Record<string, string> = {};
    if (options.uid !== undefined) preconditions.uid = options.uid;
    if (options.resourceVersion !== undefined) preconditions.resourceVersion = options.resourceVersion;
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: options.propagationPolicy ?? 'Background',
      ...(Object.keys(preconditions).length > 0 ? { preconditions } : {}),
    };
    try {
      await this.client.request('DELETE', await this.pathOf(ref), { body });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private pathOf(ref: ObjectRef): Promise<string> {
    const name = ref.metadata.name;
    if (name === undefined || name === '') throw new Error(`${ref.kind} without metadata.name`);
    return this.paths.pathOf(ref.apiVersion, ref.kind, ref.metadata.namespace, name);
  }
}
