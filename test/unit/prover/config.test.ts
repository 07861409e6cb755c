import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ArgumentError, parseProverArgs, type ProverConfig } from '../../../prover/src/config.js';

function parse(argv: string[]): ProverConfig {
  const config = parseProverArgs(argv, {});
  if (config === 'help') throw new Error('unexpected help');
  return config;
}

describe('parseProverArgs', () => {
  describe('when flags are valid', () => {
    it('applies the defaults', () => {
      const config = parse([]);
      expect(config).to.deep.include({ host: '127.0.0.1', port: 8088, backend: 'auto', cacheSize: 1024, defaultTimeoutMs: 30_000, logLevel: 'info' });
      expect(config.queue).to.equal(4 * config.sessions);
      expect(config.token).to.equal(undefined);
    });

    it('reads every flag', () => {
      const config = parse(['--listen', '[::1]:0', '--backend', 'coqc', '--sessions', '3', '--queue', '0', '--cache-size', '0', '--expected-hash', `sha256:${'0'.repeat(64)}`]);
      expect(config).to.deep.include({ host: '::1', port: 0, backend: 'coqc', sessions: 3, queue: 0, cacheSize: 0 });
    });

    it('accepts a bare IPv6 address before the port', () => {
      expect(parse(['--listen', 'fd00::12:8088'])).to.deep.include({ host: 'fd00::12', port: 8088 });
    });

    it('returns help for --help', () => {
      expect(parseProverArgs(['--help'], {})).to.equal('help');
    });
  });

  describe('when the token file exists', () => {
    it('reads the token without its trailing newline', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'pxl-config-'));
      try {
        await writeFile(path.join(dir, 'token'), 's3cret\n');
        expect(parse(['--token-file', path.join(dir, 'token')]).token).to.equal('s3cret');
      } finally {
        await rm(dir, { recursive: true });
      }
    });
  });

  describe('when a flag is wrong', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown flag', ['--port', '1'], /Unknown option '--port'/],
      ['a listen address without port', ['--listen', 'localhost'], /--listen must be HOST:PORT/],
      ['a port out of range', ['--listen', '127.0.0.1:70000'], /--listen must be HOST:PORT/],
      ['an empty host', ['--listen', ':8088'], /--listen must be HOST:PORT/],
      ['a non-numeric port', ['--listen', 'localhost:http'], /--listen must be HOST:PORT/],
      ['an unknown backend', ['--backend', 'lean'], /--backend must be one of/],
      ['zero sessions', ['--sessions', '0'], /--sessions must be an integer from 1/],
      ['a non-numeric queue', ['--queue', 'many'], /--queue must be an integer/],
      ['a malformed hash', ['--expected-hash', 'md5:00'], /--expected-hash must look like sha256/],
      ['a missing token file', ['--token-file', '/nonexistent/token'], /--token-file .* cannot read it \(ENOENT\)/],
      ['an unknown log level', ['--log-level', 'loud'], /--log-level must be one of/],
      ['a positional argument', ['serve'], /Unexpected argument 'serve'/],
    ];
    for (const [name, argv, message] of cases) {
      it(`throws an ArgumentError for ${name}`, () => {
        expect(() => parseProverArgs(argv, {})).to.throw(ArgumentError, message);
      });
    }
  });
});
