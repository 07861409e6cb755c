// Reading Print Assumptions answers fail-closed; the texts are what Coq 8.16 prints.
import { expect } from 'chai';
import { judgeAssumptions, parseAssumptions, parseLocatedName } from '../../../../prover/src/check/assumptions.js';

describe('parseAssumptions', function () {
  it('reads a closed answer as no assumptions', function () {
    expect(parseAssumptions('Closed under the global context')).to.deep.equal({ axioms: [], bypasses: [], unrecognised: [] });
  });

  it('reads axioms, including names on their own line above an indented type', function () {
    const text = 'Axioms:\nClassical_Prop.veryLongName\n  : forall P : Prop,\n    P \\/ ~ P\nClassical_Prop.classic : forall P : Prop, P \\/ ~ P';
    expect(parseAssumptions(text).axioms).to.deep.equal(['Classical_Prop.veryLongName', 'Classical_Prop.classic']);
  });

  it('reads guard, positivity and universe bypasses', function () {
    const text = "Axioms:\ntt' relies on an unsafe hierarchy.\nbad is assumed to be positive.\nz is assumed to be guarded.";
    expect(parseAssumptions(text).bypasses).to.have.length(3);
  });

  const failClosed: readonly [string, string][] = [
    ['closed text followed by more', 'Closed under the global context\nAxioms:\nx : False'],
    ['an empty answer', ''],
    ['a section variable', 'Section Variables:\nH : False'],
    ['text before any section', 'hello\nAxioms:\nx : False'],
  ];
  for (const [name, text] of failClosed) {
    it(`treats ${name} as not closed`, function () {
      const report = parseAssumptions(text);
      expect(report.unrecognised.length + report.axioms.length).to.be.greaterThan(0);
    });
  }
});

describe('judgeAssumptions', function () {
  const allowed = ['Coq.Logic.Classical_Prop.classic'];
  it('accepts axioms that resolve to allowed names', function () {
    const report = parseAssumptions('Axioms:\nclassic : forall P : Prop, P \\/ ~ P');
    expect(judgeAssumptions(report, new Map([['classic', 'Coq.Logic.Classical_Prop.classic']]), allowed)).to.equal(undefined);
  });

  it('rejects an axiom with an allowed-looking printed name that resolves elsewhere', function () {
    const report = parseAssumptions('Axioms:\nClassical_Prop.classic : forall P : Prop, P \\/ ~ P');
    expect(judgeAssumptions(report, new Map([['Classical_Prop.classic', 'PXLu.c1.Classical_Prop.classic']]), allowed)).to.include('PXLu.c1');
  });

  it('rejects an axiom that could not be resolved', function () {
    const report = parseAssumptions('Axioms:\nclassic : forall P : Prop, P \\/ ~ P');
    expect(judgeAssumptions(report, new Map(), allowed)).to.include('disallowed');
  });

  it('rejects any bypass even with every axiom allowed', function () {
    const report = parseAssumptions('Axioms:\nf is assumed to be guarded.');
    expect(judgeAssumptions(report, new Map(), allowed)).to.include('bypasses');
  });
});

describe('parseLocatedName', function () {
  const cases: readonly [string, string, string | undefined][] = [
    ['a constant', 'Constant Coq.Logic.Classical_Prop.classic', 'Coq.Logic.Classical_Prop.classic'],
    ['a constant with a shorter name note', 'Constant Coq.Logic.Classical_Prop.classic\n  (shorter name to refer to it in current context is classic)', 'Coq.Logic.Classical_Prop.classic'],
    ['nothing found', 'No object of basename classic', undefined],
    ['a notation', 'Notation "x = y" := (eq x y)', undefined],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name} → ${expected ?? 'unresolved'}`, function () {
      expect(parseLocatedName(text)).to.equal(expected);
    });
  }
});
