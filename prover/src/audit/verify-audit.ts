// Verifies an audit log's hash chain from its first record to its last.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkLine, genesisHash } from './chain.js';

/** The outcome of verifying an audit log. */
export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly lastHash: string }
  | { readonly ok: false; readonly records: number; readonly line: number; readonly problem: string };

/** Reads a log line by line and reports the first record that breaks the chain. */
export async function verifyAuditLog(file: string): Promise<AuditVerification> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let prevHash = genesisHash;
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const check = checkLine(text, prevHash);
    if (!check.ok) return { ok: false, records: line - 1, line, problem: check.problem };
    prevHash = check.record.hash;
  }
  return { ok: true, records: line, lastHash: prevHash };
}
