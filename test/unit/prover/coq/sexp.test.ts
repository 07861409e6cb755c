// The S-expression codec of SerAPI.
import { expect } from 'chai';
import fc from 'fast-check';
import { field, parseSexp, takeSexps, writeSexp, type Sexp } from '../../../../prover/src/coq/sexp.js';
import { flattenPp } from '../../../../prover/src/coq/serapi.js';

describe('writeSexp', function () {
  const cases: readonly [string, Sexp, string][] = [
    ['a bare atom', 'Exec', 'Exec'],
    ['a command', ['pxl1', ['Exec', '3']], '(pxl1 (Exec 3))'],
    ['a sentence with quotes and newlines', ['Add', [], 'idtac "a".\n'], '(Add () "idtac \\"a\\".\\n")'],
    ['an empty string', '', '""'],
  ];
  for (const [name, value, text] of cases) {
    it(`writes ${name}`, function () {
      expect(writeSexp(value)).to.equal(text);
    });
  }
});

describe('parseSexp', function () {
  it('reads an Answer with a quoted string', function () {
    expect(parseSexp('(Answer pxl1 (CoqExn ((str "Error: \\"x\\""))))')).to.deep.equal(['Answer', 'pxl1', ['CoqExn', [['str', 'Error: "x"']]]]);
  });

  it('decodes OCaml decimal escapes as UTF-8', function () {
    expect(parseSexp('"\\226\\136\\128"')).to.equal('∀');
  });

  it('round-trips any value', function () {
    const sexp: fc.Arbitrary<Sexp> = fc.letrec<{ node: Sexp }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string(), fc.array(tie('node'), { maxLength: 4 })),
    })).node;
    fc.assert(
      fc.property(sexp, (value) => {
        expect(parseSexp(writeSexp(value))).to.deep.equal(value);
      }),
    );
  });
});

describe('takeSexps', function () {
  it('keeps an incomplete value for the next chunk', function () {
    const first = takeSexps('(Answer 1 Ack)\n(Answer 1 (Added 2');
    expect(first.values).to.deep.equal([['Answer', '1', 'Ack']]);
    const second = takeSexps(`${first.rest} loc NewTip))\n`);
    expect(second.values).to.deep.equal([['Answer', '1', ['Added', '2', 'loc', 'NewTip']]]);
  });
});

describe('field and flattenPp', function () {
  it('read a message body', function () {
    const body = parseSexp('((level Notice) (pp (Pp_glue ((Pp_string Closed) (Pp_print_break 1 0) (Pp_string under)))))');
    expect(field(body, 'level')).to.equal('Notice');
    expect(flattenPp(field(body, 'pp'))).to.equal('Closed under');
  });
});
