import { expect } from 'chai';
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { startProver, type ProverProcess } from './prover-process.js';

const fields = ['goal', 'statement', 'proof', 'source', 'theorem', 'allowedAxioms', 'timeoutMs', 'requestId'];

async function send(url: string, body: Buffer | string, path = '/prove'): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

function expectClientError(answer: { status: number; json: unknown }, what: string): void {
  expect(answer.status, `${what}: ${JSON.stringify(answer.json).slice(0, 200)}`).to.be.within(400, 499);
  expect(answer.json, what).to.have.nested.property('error.code').that.is.a('string');
  expect(answer.json, what).to.have.nested.property('error.message').that.is.a('string');
}

describe('prover HTTP API under bad input', function () {
  this.timeout(300_000);
  let prover: ProverProcess;

  before(async () => {
    prover = await startProver(['--sessions', '1']);
  });

  after(async () => {
    expect(prover.logs.filter((line) => (line.level as number) >= 50), 'error log lines').to.deep.equal([]);
    await prover.stop();
  });

  afterEach(async () => {
    expect((await fetch(`${prover.url}/health`)).status).to.equal(200);
  });

  describe('when the body is one of the known bad shapes', () => {
    const cases: [string, Buffer | string][] = [
      ['invalid JSON', '{"goal": "p",'],
      ['a JSON string', '"goal"'],
      ['a JSON number', '42'],
      ['JSON null', 'null'],
      ['an empty body', ''],
      ['an unknown field', JSON.stringify({ goal: 'p', admit: true })],
      ['a number for the goal', JSON.stringify({ goal: 1 })],
      ['an object for the proof', JSON.stringify({ goal: 'p', proof: { tactic: 'auto' } })],
      ['a string for allowedAxioms', JSON.stringify({ goal: 'p', allowedAxioms: 'Classical.classic' })],
      ['a negative timeout', JSON.stringify({ goal: 'p', timeoutMs: -1 })],
      ['a huge timeout', JSON.stringify({ goal: 'p', timeoutMs: 1e300 })],
      ['an escaped NUL', '{"goal":"p\\u0000"}'],
      ['a raw NUL byte', Buffer.from('{"goal":"p\u0000"}')],
      ['invalid UTF-8', Buffer.concat([Buffer.from('{"goal":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])],
      ['a UTF-8 BOM and garbage', Buffer.from([0xef, 0xbb, 0xbf, 0x7b])],
      ['a deeply nested array', '['.repeat(200_000) + ']'.repeat(200_000)],
      ['a deeply nested goal', `{"goal":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      ['a deeply nested object', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
      ['a body over 1 MiB', JSON.stringify({ goal: 'p', proof: 'x'.repeat(2 * 1024 * 1024) })],
      ['a goal over 16 KiB', JSON.stringify({ goal: 'p'.repeat(20_000) })],
      ['a duplicate key trick', '{"goal":"p","goal":1}'],
      ['a __proto__ key', '{"goal":"p","__proto__":{"proof":"x"}}'],
    ];
    for (const [name, body] of cases) {
      it(`answers 4xx JSON for ${name}`, async () => {
        expectClientError(await send(prover.url, body), name);
      });
    }

    it('answers 413 JSON to a chunked body over 1 MiB without a length', async () => {
      const answer = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
        const request = httpRequest(`${prover.url}/prove`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => { text += chunk; });
          response.on('end', () => { resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }); });
        });
        // The server may close the connection while the rest is still being sent; only its answer matters.
        request.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error); });
        const chunk = 'x'.repeat(64 * 1024);
        request.write('{"goal":"p","proof":"');
        for (let i = 0; i < 40; i += 1) request.write(chunk);
        request.end('"}');
      });
      expect(answer.status).to.equal(413);
      expectClientError(answer, 'chunked body');
    });

    it('answers 4xx JSON on /countermodel for wrong types', async () => {
      expectClientError(await send(prover.url, JSON.stringify({ goal: ['p'] }), '/countermodel'), 'countermodel');
    });
  });

  describe('when bodies are generated', () => {
    it('answers every random byte string with 4xx JSON', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
          expectClientError(await send(prover.url, Buffer.from(bytes)), 'random bytes');
        }),
        { numRuns: 150 },
      );
    });

    it('answers every JSON value that is not a request with 4xx JSON', async () => {
      const notARequest = fc.jsonValue({ maxDepth: 6 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value) || !('goal' in value || 'statement' in value));
      await fc.assert(
        fc.asyncProperty(notARequest, async (value) => {
          expectClientError(await send(prover.url, JSON.stringify(value)), 'random JSON');
        }),
        { numRuns: 150 },
      );
    });

    it('answers known fields with wrong types or extra fields with 4xx JSON', async () => {
      const wrongValue = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
      const extraKey = fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !fields.includes(key) && key !== '__proto__');
      const body = fc.oneof(
        fc.tuple(fc.constantFrom('goal', 'statement', 'proof', 'source', 'theorem', 'requestId'), wrongValue).map(([key, value]) => ({ goal: 'p', [key]: value })),
        fc.tuple(extraKey, fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => ({ goal: 'p', [key]: value })),
      );
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          expectClientError(await send(prover.url, JSON.stringify(value)), 'wrong field');
        }),
        { numRuns: 150 },
      );
    });
  });
});
