import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog, AuditLogError, rotatedName } from '../../../prover/src/audit/audit-log.js';
import { chainEntry, checkLine, genesisHash, type AuditEntry } from '../../../prover/src/audit/chain.js';
import { verifyAuditLog } from '../../../prover/src/audit/verify-audit.js';

const entry = (n: number): AuditEntry => ({
  time: `2026-01-01T00:00:0${n}.000Z`,
  requestId: `r${n}`,
  digest: `sha256:${String(n).repeat(64)}`,
  verdict: 'Proved',
  kernelHash: `sha256:${'k'.repeat(64)}`,
  durationMs: n,
});

function chainOf(count: number): string[] {
  const lines: string[] = [];
  let prev = genesisHash;
  for (let n = 1; n <= count; n += 1) {
    const record = chainEntry(entry(n), prev);
    lines.push(JSON.stringify(record));
    prev = record.hash;
  }
  return lines;
}

describe('audit chain', () => {
  describe('checkLine', () => {
    const [first = '', second = ''] = chainOf(2);
    const firstHash = (JSON.parse(first) as { hash: string }).hash;
    const cases: [string, string, string, RegExp | undefined][] = [
      ['the first record', first, genesisHash, undefined],
      ['the second record after the first', second, firstHash, undefined],
      ['the second record at the start', second, genesisHash, /does not match the previous record's hash/],
      ['an altered verdict', first.replace('"Proved"', '"Failed"'), genesisHash, /hash does not match its content/],
      ['an altered duration', first.replace('"durationMs":1', '"durationMs":2'), genesisHash, /hash does not match its content/],
      ['an extra field', first.replace('{', '{"note":"x",'), genesisHash, /missing, extra or mistyped fields/],
      ['a missing field', first.replace(/"requestId":"r1",/, ''), genesisHash, /missing, extra or mistyped fields/],
      ['a mistyped field', first.replace('"durationMs":1', '"durationMs":"1"'), genesisHash, /missing, extra or mistyped fields/],
      ['garbage', 'not json', genesisHash, /is not valid JSON/],
    ];
    for (const [name, line, prev, problem] of cases) {
      it(`${problem === undefined ? 'accepts' : 'rejects'} ${name}`, () => {
        const check = checkLine(line, prev);
        if (problem === undefined) expect(check.ok).to.equal(true);
        else expect(check.ok ? 'accepted' : check.problem).to.match(problem);
      });
    }
  });

  describe('AuditLog and verifyAuditLog', () => {
    let dir = '';
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'pxl-audit-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('continues the chain across reopening', async () => {
      const file = path.join(dir, 'audit.jsonl');
      const first = await AuditLog.open(file);
      await Promise.all([first.append(entry(1)), first.append(entry(2))]);
      await first.close();
      const second = await AuditLog.open(file);
      await second.append(entry(3));
      await second.close();
      expect(await verifyAuditLog(file)).to.deep.include({ ok: true, records: 3 });
    });

    describe('when the folder of the log does not exist yet', () => {
      it('creates the folder and starts a chain in it', async () => {
        const file = path.join(dir, 'pxl', 'audit.jsonl');
        const log = await AuditLog.open(file);
        await log.append(entry(1));
        await log.close();
        expect(await verifyAuditLog(file)).to.deep.include({ ok: true, records: 1 });
      });
    });

    describe('when the log outgrows its size limit', () => {
      it('rotates to FILE.1 and continues one chain across files and restarts', async () => {
        const file = path.join(dir, 'audit.jsonl');
        const first = await AuditLog.open(file, 4096);
        for (let n = 1; n <= 12; n += 1) await first.append(entry(n % 10));
        await first.close();
        expect((await stat(rotatedName(file))).size).to.be.at.least(4096);
        const second = await AuditLog.open(file, 4096);
        await second.append(entry(13 % 10));
        await second.close();
        const both = await verifyAuditLog(rotatedName(file), file);
        expect(both).to.deep.include({ ok: true, records: 13 });
        const current = await verifyAuditLog(file);
        expect(current.ok).to.equal(true);
        expect(current.ok && current.startsAfter).to.not.equal(genesisHash);
      });

      it('continues from FILE.1 when the new file is still empty', async () => {
        const file = path.join(dir, 'audit.jsonl');
        await writeFile(rotatedName(file), chainOf(2).join('\n') + '\n');
        const log = await AuditLog.open(file);
        await log.append(entry(3));
        await log.close();
        expect(await verifyAuditLog(rotatedName(file), file)).to.deep.include({ ok: true, records: 3 });
      });
    });

    it('names the first altered record', async () => {
      const file = path.join(dir, 'audit.jsonl');
      const lines = chainOf(4);
      lines[2] = (lines[2] ?? '').replace('"Proved"', '"Failed"');
      await writeFile(file, lines.join('\n') + '\n');
      expect(await verifyAuditLog(file)).to.deep.include({ ok: false, file, line: 3, records: 2 });
    });

    it('names a deleted record by the one after it', async () => {
      const file = path.join(dir, 'audit.jsonl');
      const lines = chainOf(4);
      lines.splice(1, 1);
      await writeFile(file, lines.join('\n') + '\n');
      expect(await verifyAuditLog(file)).to.deep.include({ ok: false, line: 2 });
    });

    it('refuses to extend a log whose last record is altered', async () => {
      const file = path.join(dir, 'audit.jsonl');
      const lines = chainOf(2);
      lines[1] = (lines[1] ?? '').replace('"r2"', '"r9"');
      await writeFile(file, lines.join('\n') + '\n');
      let failure: unknown;
      try {
        await AuditLog.open(file);
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(AuditLogError);
      expect(String(failure)).to.match(/last record .* was altered/);
      expect(await readFile(file, 'utf8')).to.equal(lines.join('\n') + '\n');
    });

    it('refuses to extend a log that ends mid-record', async () => {
      const file = path.join(dir, 'audit.jsonl');
      await writeFile(file, chainOf(1)[0]?.slice(0, 20) ?? '');
      let failure: unknown;
      try {
        await AuditLog.open(file);
      } catch (error) {
        failure = error;
      }
      expect(String(failure)).to.match(/incomplete record/);
    });
  });
});
