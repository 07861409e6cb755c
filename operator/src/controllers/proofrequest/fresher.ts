// Picks the newer of the cached object and the one the operator last wrote, so writes rarely hit stale versions.
import type { ProofRequest } from '../../../../crds/index.js';

/**
 * Remembers the object each status write returned until the cache has caught up. resourceVersions are
 * opaque by contract; comparing them as integers is only an optimisation here — a wrong guess costs a 409
 * and a retry, never a wrong verdict, because every write carries its resourceVersion as a precondition.
 */
export class LastWritten {
  private readonly byKey = new Map<string, ProofRequest>();

  /** Records what a write returned. */
  remember(key: string, object: ProofRequest): void {
    this.byKey.set(key, object);
  }

  /** Forgets a key (deleted or decided and seen in the cache). */
  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** The newer of the cached object and the last written one; forgets the latter once the cache has it. */
  pick(key: string, cached: ProofRequest): ProofRequest {
    const written = this.byKey.get(key);
    if (written === undefined) return cached;
    if (written.metadata.uid !== cached.metadata.uid) {
      this.byKey.delete(key);
      return cached;
    }
    const writtenVersion = Number(written.metadata.resourceVersion);
    const cachedVersion = Number(cached.metadata.resourceVersion);
    if (!Number.isFinite(writtenVersion) || !Number.isFinite(cachedVersion) || cachedVersion >= writtenVersion) {
      this.byKey.delete(key);
      return cached;
    }
    return written;
  }
}
