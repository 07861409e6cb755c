// Writes a ProofRequest's status with its resourceVersion as a precondition, so a decision is never overwritten.
import { pathFor, resources, type ProofRequest, type ProofRequestStatus } from '../../../../crds/index.js';
import { isConflict, type KubeClient } from '../../runtime/index.js';
import { TransientError } from '../../runtime/index.js';
import type { LastWritten } from './fresher.js';
import { isDecided } from './status.js';

/** Builds the status to write on top of the status the object has now. */
export type StatusBuilder = (previous: ProofRequestStatus | undefined) => ProofRequestStatus;

/** Status writes for ProofRequests: PUT /status carrying the resourceVersion the decision was made on. */
export class StatusWriter {
  private readonly client: KubeClient;
  private readonly lastWritten: LastWritten;

  constructor(client: KubeClient, lastWritten: LastWritten) {
    this.client = client;
    this.lastWritten = lastWritten;
  }

  /** Writes once; a 409 surfaces as a conflict error so the reconcile is retried on fresher data. */
  async write(base: ProofRequest, build: StatusBuilder): Promise<ProofRequest> {
    const written = await this.client.request<ProofRequest>('PUT', this.statusPath(base), { body: { ...base, status: build(base.status) } });
    this.lastWritten.remember(keyOf(base), written);
    return written;
  }

  /**
   * Writes a verdict for `generation`: on a conflict it rereads the object and retries, unless the spec moved
   * on to another generation or a verdict is already there. Returns undefined when the verdict was not needed.
   */
  async writeVerdict(base: ProofRequest, generation: number, build: StatusBuilder): Promise<ProofRequest | undefined> {
    let current = base;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        return await this.write(current, build);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      const fresh = await this.client.getOrUndefined<ProofRequest>(`${this.collectionPath(current)}/${encodeURIComponent(current.metadata.name ?? '')}`);
      if (fresh === undefined || fresh.metadata.uid !== base.metadata.uid) return undefined;
      if (fresh.metadata.generation !== generation || isDecided(fresh.status, generation)) return undefined;
      current = fresh;
    }
    throw new TransientError(`status of ${keyOf(base)} kept changing while its verdict was written`);
  }

  private collectionPath(object: ProofRequest): string {
    return pathFor(resources.ProofRequest.plural, object.metadata.namespace ?? '');
  }

  private statusPath(object: ProofRequest): string {
    return `${this.collectionPath(object)}/${encodeURIComponent(object.metadata.name ?? '')}/status`;
  }
}

function keyOf(object: ProofRequest): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}
