// Verifies an audit log's hash chain from its first record to its last, across rotated files.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkLine, genesisHash } from './chain.js';

/** The outcome of verifying one or more audit files as one chain. */
export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly lastHash: string; readonly startsAfter: string }
  | { readonly ok: false; readonly records: number; readonly file: string; readonly line: number; readonly problem: string };

/**
 * Reads the files in order (oldest first, e.g. `audit.jsonl.1 audit.jsonl`) and reports the first record that breaks the chain.
 * The very first record may continue an older, rotated-away file: its prevHash is reported as `startsAfter`.
 */
export async function verifyAuditLog(...files: readonly string[]): Promise<AuditVerification> {
  let prevHash: string | undefined;
  let startsAfter = genesisHash;
  let records = 0;
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line += 1;
      prevHash ??= startsAfter = readPrevHash(text);
      const check = checkLine(text, prevHash);
      if (!check.ok) return { ok: false, records, file, line, problem: check.problem };
      prevHash = check.record.hash;
      records += 1;
    }
  }
  return { ok: true, records, lastHash: prevHash ?? genesisHash, startsAfter };
}

function readPrevHash(line: string): string {
  try {
    const value = (JSON.parse(line) as { prevHash?: unknown } | null)?.prevHash;
    return typeof value === 'string' ? value : genesisHash;
  } catch {
    return genesisHash;
  }
}
