// The append-only audit log: one hash-chained JSONL record per check, synced to disk in groups, rotated by size.
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
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

/** The default size at which the log is rotated: two generations stay well inside a 1 GiB emptyDir. */
export const defaultAuditMaxBytes = 256 * 1024 * 1024;

const tailBytes = 64 * 1024;

/** The name of the one rotated generation kept next to `file`. */
export function rotatedName(file: string): string {
  return `${file}.1`;
}

/**
 * Appends records to a JSONL file, continuing the chain found in it (or in its rotated generation).
 * Records are chained in call order and written by one writer: each batch is one write and one fdatasync,
 * so a record is durable when `append` resolves while concurrent checks share the cost of the sync.
 * Past `maxBytes` the file becomes `FILE.1` (replacing the older one) and a new file continues the same chain.
 */
export class AuditLog {
  #handle: FileHandle;
  #size: number;
  #prevHash: string;
  #pending: Pending[] = [];
  #writing: Promise<void> | undefined;
  #failure: unknown;

  private constructor(
    readonly file: string,
    readonly maxBytes: number,
    handle: FileHandle,
    size: number,
    prevHash: string,
  ) {
    this.#handle = handle;
    this.#size = size;
    this.#prevHash = prevHash;
  }

  /** Opens (or creates) a log and continues its chain from the last record, which must be intact. */
  static async open(file: string, maxBytes = defaultAuditMaxBytes): Promise<AuditLog> {
    const handle = await openForAppend(file);
    try {
      const { size } = await handle.stat();
      // Right after a rotation the new file is empty: the chain continues from the rotated generation.
      const prevHash = size > 0 ? await readLastHash(handle, file) : await readLastHashOf(rotatedName(file));
      return new AuditLog(file, maxBytes, handle, size, prevHash);
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
    await this.#handle.close();
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        const text = batch.map((p) => p.line).join('');
        await this.#handle.write(text);
        await this.#handle.datasync();
        this.#size += Buffer.byteLength(text);
        for (const p of batch) p.resolve();
        if (this.#size >= this.maxBytes) await this.#rotate();
      } catch (error) {
        // A lost record breaks the chain for every later one, so the log stops accepting records.
        this.#failure = error;
        for (const p of [...batch, ...this.#pending]) p.reject(new AuditLogError(`cannot write audit log ${this.file}`, { cause: error }));
        this.#pending = [];
      }
    }
    this.#writing = undefined;
  }

  async #rotate(): Promise<void> {
    // Everything in the old file is already synced; the rename is made durable by syncing the directory.
    await this.#handle.close();
    await rename(this.file, rotatedName(this.file));
    await syncDirectory(path.dirname(this.file));
    this.#handle = await openForAppend(this.file);
    this.#size = 0;
  }
}

async function openForAppend(file: string): Promise<FileHandle> {
  try {
    // An emptyDir mounted at /var/log hides any directory the image ships, so the log makes its own.
    await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
    return await open(file, 'a+', 0o640);
  } catch (error) {
    throw new AuditLogError(`cannot open audit log ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readLastHashOf(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return genesisHash;
    throw new AuditLogError(`cannot read rotated audit log ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  try {
    const { size } = await handle.stat();
    return size === 0 ? genesisHash : await readLastHash(handle, file);
  } finally {
    await handle.close();
  }
}

async function readLastHash(handle: FileHandle, file: string): Promise<string> {
  const { size } = await handle.stat();
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
