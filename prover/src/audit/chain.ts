// The audit record and its hash chain: each record's hash covers the previous hash and the record.
import { createHash } from 'node:crypto';

/** The prevHash of the first record in a log. */
export const genesisHash = `sha256:${'0'.repeat(64)}`;

/** What is recorded about one check, before it is chained. */
export interface AuditEntry {
  readonly time: string;
  readonly requestId: string;
  readonly digest: string;
  readonly verdict: string;
  readonly kernelHash: string;
  readonly durationMs: number;
}

/** One line of the audit log. */
export interface AuditRecord extends AuditEntry {
  readonly prevHash: string;
  readonly hash: string;
}

const fields = ['time', 'requestId', 'digest', 'verdict', 'kernelHash', 'durationMs', 'prevHash'] as const;

/** The canonical text a record's hash covers: its fields in a fixed order, without `hash`. */
export function canonicalise(record: AuditEntry & { readonly prevHash: string }): string {
  return JSON.stringify(fields.map((field) => [field, record[field]]));
}

/** Computes `sha256:` over prevHash, a newline and the canonical record. */
export function hashRecord(record: AuditEntry & { readonly prevHash: string }): string {
  const hash = createHash('sha256').update(record.prevHash).update('\n').update(canonicalise(record));
  return `sha256:${hash.digest('hex')}`;
}

/** Chains an entry after the record whose hash is `prevHash`. */
export function chainEntry(entry: AuditEntry, prevHash: string): AuditRecord {
  const unsigned = {
    time: entry.time,
    requestId: entry.requestId,
    digest: entry.digest,
    verdict: entry.verdict,
    kernelHash: entry.kernelHash,
    durationMs: entry.durationMs,
    prevHash,
  };
  return { ...unsigned, hash: hashRecord(unsigned) };
}

/** The verdict on one line of an audit log, given the hash the previous line ended with. */
export type LineCheck = { readonly ok: true; readonly record: AuditRecord } | { readonly ok: false; readonly problem: string };

/** Checks that a line is a well-formed record, links to `expectedPrevHash` and hashes to its own `hash`. */
export function checkLine(line: string, expectedPrevHash: string): LineCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  if (!isRecord(parsed)) return { ok: false, problem: 'is not an audit record (missing, extra or mistyped fields)' };
  if (parsed.prevHash !== expectedPrevHash) {
    return { ok: false, problem: `prevHash ${parsed.prevHash} does not match the previous record's hash ${expectedPrevHash}` };
  }
  if (hashRecord(parsed) !== parsed.hash) return { ok: false, problem: 'hash does not match its content (the record was altered)' };
  return { ok: true, record: parsed };
}

const recordKeys = [...fields, 'hash'].sort().join(',');

function isRecord(value: unknown): value is AuditRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  // Extra keys would not be covered by the hash, so a record carrying them is not trusted.
  if (Object.keys(record).sort().join(',') !== recordKeys) return false;
  const strings = ['time', 'requestId', 'digest', 'verdict', 'kernelHash', 'prevHash', 'hash'];
  return strings.every((key) => typeof record[key] === 'string') && typeof record.durationMs === 'number';
}
