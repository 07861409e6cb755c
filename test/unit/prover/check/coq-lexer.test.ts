// The lexer that decides where Coq sentences end.
import { expect } from 'chai';
import { CoqLexError, lexCoq, splitSentences } from '../../../../prover/src/check/coq-lexer.js';

describe('splitSentences', function () {
  const cases: readonly [string, string, string[]][] = [
    ['two tactics', 'intros. auto.', ['intros.', ' auto.']],
    ['a qualified name is not a sentence end', 'exact PXLs.PXLv3.ax_K.', ['exact PXLs.PXLv3.ax_K.']],
    ['bullets stand alone', '- auto.\n-- auto.', ['-', ' auto.', '\n--', ' auto.']],
    ['braces stand alone', '{ auto. }', ['{', ' auto.', ' }']],
    ['a period inside a comment', '(* a. b. *) auto.', ['(* a. b. *) auto.']],
    ['a period inside a string', 'idtac "a. b". auto.', ['idtac "a. b".', ' auto.']],
    ['a period before a comment', 'auto.(* c *)', ['auto.(* c *)']],
  ];
  for (const [name, text, sentences] of cases) {
    it(`${name} splits as Coq does`, function () {
      expect(splitSentences(text).map((s) => s.text)).to.deep.equal(sentences);
    });
  }
});

describe('lexCoq', function () {
  it('reads nested comments and doubled quotes', function () {
    expect(lexCoq('(* (* *) *) "a""b" x').map((t) => t.text)).to.deep.equal(['"a""b"', 'x']);
  });

  describe('when a comment or string never ends', function () {
    it('throws a CoqLexError', function () {
      expect(() => lexCoq('(* (* *)')).to.throw(CoqLexError, 'unterminated comment');
      expect(() => lexCoq('"abc')).to.throw(CoqLexError, 'unterminated string');
      expect(() => lexCoq('(* "*) *)')).to.throw(CoqLexError);
    });
  });
});
