import { expect } from 'chai';
import { parseJsonBytes } from '../../../prover/src/http/body.js';
import { HttpError } from '../../../prover/src/http/errors.js';

function codeOf(bytes: Buffer): string {
  try {
    parseJsonBytes(bytes);
    return 'ok';
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError);
    expect((error as HttpError).status).to.equal(400);
    return (error as HttpError).code;
  }
}

describe('parseJsonBytes', () => {
  const cases: [string, Buffer, string][] = [
    ['a JSON object', Buffer.from('{"goal":"p"}'), 'ok'],
    ['UTF-8 text with symbols', Buffer.from('{"goal":"□p → p"}'), 'ok'],
    ['a deeply nested array', Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)), 'ok'],
    ['an empty body', Buffer.alloc(0), 'InvalidJson'],
    ['whitespace only', Buffer.from('  \n'), 'InvalidJson'],
    ['truncated JSON', Buffer.from('{"goal":'), 'InvalidJson'],
    ['trailing garbage', Buffer.from('{"goal":"p"} x'), 'InvalidJson'],
    ['a raw NUL byte', Buffer.from('{"goal":"p\u0000"}'), 'NulByte'],
    ['an overlong UTF-8 encoding', Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]), 'InvalidUtf8'],
    ['a lone continuation byte', Buffer.from([0x22, 0x80, 0x22]), 'InvalidUtf8'],
    ['an encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 'InvalidUtf8'],
    ['a truncated multi-byte sequence', Buffer.from([0x22, 0xe2, 0x96]), 'InvalidUtf8'],
  ];
  for (const [name, bytes, code] of cases) {
    it(`answers ${code} for ${name}`, () => {
      expect(codeOf(bytes)).to.equal(code);
    });
  }
});
