import { expect } from 'chai';
import fc from 'fast-check';
import { equalFormulas, goalLimits, parseGoal, parseGoalBytes, printFormula, type Formula } from '../../../prover/src/pxl/index.js';
import { arbitraryFormula } from './brute-force.js';

const a = (name: string): Formula => ({ kind: 'atom', name });
const p = a('p');
const q = a('q');
const r = a('r');

function parseOk(text: string): Formula {
  const result = parseGoal(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error.message}`);
  return result.formula;
}

describe('parseGoal', () => {
  describe('when the goal is well formed', () => {
    const cases: { name: string; text: string; want: Formula }[] = [
      { name: 'a bare atom', text: 'p', want: p },
      { name: 'an applied atom', text: 'Good(test_action)', want: a('Good(test_action)') },
      { name: 'an atom applied to nothing', text: 'SafeUIThread()', want: a('SafeUIThread()') },
      { name: 'an atom with spaced arguments', text: 'consistency( semantics , axioms )', want: a('consistency(semantics,axioms)') },
      { name: 'an argument starting with a digit', text: 'Goal(2683)', want: a('Goal(2683)') },
      { name: 'DIAMOND as DIA', text: 'BOX(DIAMOND(Goal(plan_2683)))', want: { kind: 'box', arg: { kind: 'dia', arg: a('Goal(plan_2683)') } } },
      { name: 'right-associative implication', text: 'p -> q -> r', want: { kind: 'imp', left: p, right: { kind: 'imp', left: q, right: r } } },
      { name: 'right-associative and', text: 'p and q and r', want: { kind: 'and', left: p, right: { kind: 'and', left: q, right: r } } },
      { name: 'right-associative or', text: 'p or q or r', want: { kind: 'or', left: p, right: { kind: 'or', left: q, right: r } } },
      { name: 'and binding tighter than or', text: 'p or q and r', want: { kind: 'or', left: p, right: { kind: 'and', left: q, right: r } } },
      { name: 'or binding tighter than ->', text: 'p or q -> r', want: { kind: 'imp', left: { kind: 'or', left: p, right: q }, right: r } },
      { name: '-> binding tighter than <->', text: 'p -> q <-> r', want: { kind: 'iff', left: { kind: 'imp', left: p, right: q }, right: r } },
      { name: 'not binding tighter than and', text: 'not p and q', want: { kind: 'and', left: { kind: 'not', arg: p }, right: q } },
      { name: 'prefix box symbol binding tightly', text: '□p ∧ q', want: { kind: 'and', left: { kind: 'box', arg: p }, right: q } },
      { name: 'Unicode connectives', text: '¬p ∨ q → ◇r ↔ ⊤', want: { kind: 'iff', left: { kind: 'imp', left: { kind: 'or', left: { kind: 'not', arg: p }, right: q }, right: { kind: 'dia', arg: r } }, right: { kind: 'top' } } },
      { name: 'ASCII connectives', text: '~p \\/ q /\\ False', want: { kind: 'or', left: { kind: 'not', arg: p }, right: { kind: 'and', left: q, right: { kind: 'bot' } } } },
      { name: 'whitespace and newlines', text: '\n  BOX (\tp\r\n)  ', want: { kind: 'box', arg: p } },
      { name: 'redundant parentheses', text: '((p))', want: p },
      { name: 'Unicode spaces and a byte-order mark', text: '\ufeffp\u00a0and\u2003q', want: { kind: 'and', left: p, right: q } },
      { name: 'the K axiom', text: 'BOX(p -> q) -> (BOX(p) -> BOX(q))', want: { kind: 'imp', left: { kind: 'box', arg: { kind: 'imp', left: p, right: q } }, right: { kind: 'imp', left: { kind: 'box', arg: p }, right: { kind: 'box', arg: q } } } },
      { name: 'nesting at the documented depth', text: `${'not '.repeat(goalLimits.maxDepth - 1)}p`, want: Array.from({ length: goalLimits.maxDepth - 1 }).reduce<Formula>((f) => ({ kind: 'not', arg: f }), p) },
    ];
    for (const c of cases) {
      it(`parses ${c.name}`, () => {
        expect(equalFormulas(parseOk(c.text), c.want), printFormula(parseOk(c.text))).to.equal(true);
      });
    }
  });

  describe('when the goal is malformed', () => {
    const cases: { name: string; text: string; line: number; column: number; message: RegExp }[] = [
      { name: 'an empty goal', text: '', line: 1, column: 1, message: /expected a formula .* but found the end of the goal/ },
      { name: 'a blank goal', text: '  \n ', line: 2, column: 2, message: /expected a formula/ },
      { name: 'an unclosed parenthesis', text: '((p)', line: 1, column: 5, message: /expected '\)' to close the '\(' at line 1, column 1/ },
      { name: 'an extra closing parenthesis', text: 'p)', line: 1, column: 2, message: /expected a matching '\(' before it but found '\)'/ },
      { name: 'an unknown operator &', text: 'p & q', line: 1, column: 3, message: /unknown operator '&': PXL writes 'and'/ },
      { name: 'an unknown operator =>', text: 'p => q', line: 1, column: 3, message: /unknown operator '='/ },
      { name: 'an unknown operator []', text: '[]p', line: 1, column: 1, message: /unknown operator '\['/ },
      { name: 'a miscased keyword', text: 'Box(p)', line: 1, column: 1, message: /unknown word 'Box'.*write BOX\(…\)/ },
      { name: 'a lower-case constant', text: 'true', line: 1, column: 1, message: /write True/ },
      { name: 'BOX without parentheses', text: 'BOX p', line: 1, column: 5, message: /expected '\(' after BOX but found 'p'/ },
      { name: 'a chained <->', text: 'p <-> q <-> r', line: 1, column: 9, message: /'<->' does not chain/ },
      { name: 'a missing right operand', text: 'p ->', line: 1, column: 5, message: /but found the end of the goal/ },
      { name: 'two atoms in a row', text: 'p q', line: 1, column: 3, message: /expected an operator .* but found 'q'/ },
      { name: 'a nested application', text: 'Good(f(x))', line: 1, column: 7, message: /expected ',' or '\)' in Good\(…\) but found '\('/ },
      { name: 'a trailing comma', text: 'Good(a,)', line: 1, column: 8, message: /expected an argument name in Good\(…\) but found '\)'/ },
      { name: 'a digit-initial atom', text: '2p', line: 1, column: 1, message: /atom names start with a letter/ },
      { name: 'a position on the second line', text: 'p and\n  q or )', line: 2, column: 8, message: /expected a formula .* but found '\)'/ },
      { name: 'a look-alike letter', text: 'p and Gооd', line: 1, column: 8, message: /unexpected 'о' \(U\+043E\)/ },
      { name: 'a look-alike box', text: '◻p', line: 1, column: 1, message: /unknown operator '◻' \(U\+25FB\): PXL writes '□' \(U\+25A1\)/ },
      { name: 'a NUL character', text: 'p\u0000', line: 1, column: 2, message: /control character U\+0000/ },
      { name: 'a lone surrogate', text: 'p and \ud800', line: 1, column: 7, message: /lone surrogate U\+D800/ },
      { name: 'a replacement character', text: 'p\ufffd', line: 1, column: 2, message: /not valid UTF-8/ },
      { name: 'a 100 000-character goal', text: 'p'.repeat(100_000), line: 1, column: 1, message: /100000 characters long; the limit is 16384/ },
      { name: '10 000-deep parentheses', text: `${'('.repeat(10_000)}p${')'.repeat(10_000)}`, line: 1, column: 1, message: /limit is 16384/ },
      { name: '5 000-deep parentheses', text: `${'('.repeat(5_000)}p${')'.repeat(5_000)}`, line: 1, column: goalLimits.maxDepth + 1, message: /nested more than 256 levels deep/ },
      { name: '10 000-deep negations', text: `${'~'.repeat(10_000)}p`, line: 1, column: goalLimits.maxDepth + 1, message: /nested more than 256 levels deep/ },
      { name: '5 000-deep boxes', text: `${'BOX('.repeat(3_000)}p${')'.repeat(3_000)}`, line: 1, column: 4 * goalLimits.maxDepth + 4, message: /nested more than 256 levels deep/ },
      { name: 'a 300-long and chain', text: `p${' and p'.repeat(300)}`, line: 1, column: 267, message: /nested more than 256 levels deep at 'and'/ },
      { name: 'an exponential <-> expansion', text: `${'('.repeat(20)}p${' <-> p)'.repeat(20)}`, line: 1, column: 121, message: /kernel translation .* exceeds 100000 nodes/ },
    ];
    for (const c of cases) {
      it(`rejects ${c.name} with its position`, () => {
        const result = parseGoal(c.text);
        expect(result.ok).to.equal(false);
        if (result.ok) return;
        expect(result.error.message).to.match(c.message);
        expect([result.error.line, result.error.column]).to.deep.equal([c.line, c.column]);
      });
    }
  });

  describe('when the goal arrives as bytes', () => {
    it('parses valid UTF-8', () => {
      const result = parseGoalBytes(new TextEncoder().encode('□p → p'));
      expect(result.ok).to.equal(true);
    });
    it('rejects invalid UTF-8 at its position', () => {
      const result = parseGoalBytes(Uint8Array.from([0x70, 0x20, 0x61, 0x6e, 0x64, 0x20, 0xc3, 0x28]));
      expect(result).to.deep.equal({ ok: false, error: { line: 1, column: 7, message: 'unexpected replacement character U+FFFD (the goal was not valid UTF-8)' } });
    });
  });

  describe('when given arbitrary text', () => {
    it('never throws and always reports a position', () => {
      const pieces = fc.constantFrom('p', 'Good(a)', 'BOX(', 'DIA(', '(', ')', ' and ', ' or ', '->', '<->', 'not ', '□', '◇', '⊤', ',', '~', '\u0000', '\ud800', '&');
      const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(pieces, { maxLength: 30 }).map((xs) => xs.join('')));
      fc.assert(
        fc.property(text, (t) => {
          const result = parseGoal(t);
          if (result.ok) {
            const again = parseGoal(printFormula(result.formula));
            expect(again.ok && equalFormulas(again.formula, result.formula)).to.equal(true);
          } else {
            expect(result.error.line).to.be.at.least(1);
            expect(result.error.column).to.be.at.least(1);
            expect(result.error.message).to.be.a('string').and.not.equal('');
            expect(result.error.message).not.to.match(/internal/);
          }
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('printFormula', () => {
  describe('when printing a parsed goal', () => {
    const cases: { text: string; printed: string }[] = [
      { text: 'BOX(p -> q) -> (BOX(p) -> BOX(q))', printed: 'BOX(p -> q) -> BOX(p) -> BOX(q)' },
      { text: '(p -> q) -> r', printed: '(p -> q) -> r' },
      { text: '(p and q) and r', printed: '(p and q) and r' },
      { text: '¬(p ∧ q)', printed: 'not (p and q)' },
      { text: '(p <-> q) <-> r', printed: '(p <-> q) <-> r' },
      { text: 'DIAMOND(⊥) ∨ ⊤', printed: 'DIA(False) or True' },
    ];
    for (const c of cases) {
      it(`prints ${c.text} canonically`, () => {
        expect(printFormula(parseOk(c.text))).to.equal(c.printed);
      });
    }
  });

  describe('when round-tripping random formulas', () => {
    it('parses its output back to the same formula', () => {
      fc.assert(
        fc.property(arbitraryFormula(['p', 'q', 'Good(a)', 'c(x,y)', 'T()', 'x_1'], 8), (f) => {
          const printed = printFormula(f);
          const back = parseGoal(printed);
          expect(back.ok, printed).to.equal(true);
          if (back.ok) expect(equalFormulas(back.formula, f), printed).to.equal(true);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
