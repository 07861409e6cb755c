// The append-only audit log: one hash-chained JSONL record per check, synced to disk in groups.
import { open, type FileHandle } from 'node:fs/promises';
import { chainEntry, checkLine, genesisHash, type AuditEntry, type AuditRecord } from './chain.js';

/** The audit log cannot be opened or written; the service refuses to start rather than break the chain. */
export class AuditLogError extends Error {
  override readonly name = 'AuditLogError';
}

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const tailBytes = 64 * 1024;

/**
 * Appends records to a JSONL file, continuing the chain found in it.
 * Records are chained in call order and written by one writer: each batch is one write and one fdatasync,
 * so a record is durable when `append` resolves while concurrent checks share the cost of the sync.
 */
export class AuditLog {
  #prevHash: string;
  #pending: Pending[] = [];
  #writing: Promise<void> | undefined;
  #failure: unknown;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    prevHash: string,
  ) {
    this.#prevHash = prevHash;
  }

  /** Opens (or creates) a log and continues its chain from the last record, which must be intact. */
  static async open(file: string): Promise<AuditLog> {
    let handle;
    try {
      handle = await open(file, 'a+', 0o640);
    } catch (error) {
      throw new AuditLogError(`cannot open audit log ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    try {
      return new AuditLog(file, handle, await readLastHash(handle, file));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The hash of the last record appended (or found on open). */
  get lastHash(): string {
    return this.#prevHash;
  }

  /** Chains the entry and resolves once it is written and synced. */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.#failure !== undefined) throw new AuditLogError(`audit log ${this.file} failed earlier`, { cause: this.#failure });
    const record = chainEntry(entry, this.#prevHash);
    this.#prevHash = record.hash;
    await new Promise<void>((resolve, reject) => {
      this.#pending.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.#writing ??= this.#drain();
    });
    return record;
  }

  /** Waits for pending records and closes the file. */
  async close(): Promise<void> {
    await this.#writing;
    await this.handle.close();
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.handle.write(batch.map((p) => p.line).join(''));
        await this.handle.datasync();
        for (const p of batch) p.resolve();
      } catch (error) {
        // A lost record breaks the chain for every later one, so the log stops accepting records.
        this.#failure = error;
        for (const p of [...batch, ...this.#pending]) p.reject(new AuditLogError(`cannot write audit log ${this.file}`, { cause: error }));
        this.#pending = [];
      }
    }
    this.#writing = undefined;
  }
}

async function readLastHash(handle: FileHandle, file: string): Promise<string> {
  const { size } = await handle.stat();
  if (size === 0) return genesisHash;
  const length = Math.min(size, tailBytes);
  const buffer = Buffer.alloc(length);
  await handle.read(buffer, 0, length, size - length);
  const text = buffer.toString('utf8');
  if (!text.endsWith('\n')) throw new AuditLogError(`audit log ${file} ends with an incomplete record; check it with: pxl audit-verify ${file}`);
  const lines = text.slice(0, -1).split('\n');
  const last = lines[lines.length - 1] ?? '';
  // The link to the previous record is checked by audit-verify; here the last record must at least be self-consistent.
  const check = checkLine(last, readPrevHash(last));
  if (!check.ok) throw new AuditLogError(`the last record of audit log ${file} ${check.problem}; check it with: pxl audit-verify ${file}`);
  return check.record.hash;
}

function readPrevHash(line: string): string {
  try {
    const value = (JSON.parse(line) as { prevHash?: unknown } | null)?.prevHash;
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}
