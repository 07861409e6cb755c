// Screening of untrusted text: tables of named cases.
import { expect } from 'chai';
import { screenProof, screenSource, screenStatement, screenTheoremName } from '../../../../prover/src/check/screen.js';

describe('screenStatement', function () {
  const cases: readonly [string, string, string | undefined][] = [
    ['a plain term', 'forall p q, Prov (Impl p q)', undefined],
    ['a term with a comment', 'Prov (* the goal *) Bot', undefined],
    ['a qualified name', 'PXLs.PXLv3.Prov Bot', undefined],
    ['a sentence end', 'Prov Bot. Axiom x : False', 'InvalidStatement'],
    ['a sentence end at the end', 'Prov Bot.', 'InvalidStatement'],
    ['an unterminated comment', 'Prov Bot (*', 'InvalidStatement'],
    ['unbalanced brackets', 'Prov Bot) (True', 'InvalidStatement'],
    ['an empty statement', '  (* *) ', 'InvalidStatement'],
    ['a forbidden tactic inside', 'ltac:(native_compute)', 'ForbiddenCommand'],
    ['a huge statement', 'Prov '.repeat(5000), 'TooLarge'],
  ];
  for (const [name, statement, reason] of cases) {
    it(`${name} → ${reason ?? 'accepted'}`, function () {
      expect(screenStatement(statement)?.reason).to.equal(reason);
    });
  }
});

describe('screenProof', function () {
  const cases: readonly [string, string, string | undefined][] = [
    ['tactics', 'intros p q. apply ax_K.', undefined],
    ['Proof. and bullets', 'Proof.\n- intros.\n  + auto.\n{ auto. }', undefined],
    ['an Ltac definition', 'Ltac f := idtac. f.', undefined],
    ['Admitted in a comment', '(* Admitted. *) auto.', undefined],
    ['Qed in a string', 'idtac "Qed.". auto.', undefined],
    ['a nested comment hiding nothing', '(* (* *) Qed. *) auto.', undefined],
    ['Qed', 'auto. Qed.', 'ForbiddenCommand'],
    ['Qed with an empty comment', 'auto. Qed(**).', 'ForbiddenCommand'],
    ['Defined', 'Defined.', 'ForbiddenCommand'],
    ['Save', 'Save x.', 'ForbiddenCommand'],
    ['Admitted', 'Admitted.', 'ForbiddenCommand'],
    ['Abort', 'Abort.', 'ForbiddenCommand'],
    ['Axiom', 'Axiom x : False.', 'ForbiddenCommand'],
    ['Parameter', 'Parameter x : False.', 'ForbiddenCommand'],
    ['Hypothesis', 'Hypothesis x : False.', 'ForbiddenCommand'],
    ['Variable', 'Variable x : False.', 'ForbiddenCommand'],
    ['Conjecture', 'Conjecture x : False.', 'ForbiddenCommand'],
    ['a definition', 'Definition x := 1.', 'ForbiddenCommand'],
    ['Proof with a term', 'Proof I.', 'ForbiddenCommand'],
    ['an attribute', '#[local] Ltac f := idtac.', 'ForbiddenCommand'],
    ['Local Set', 'Local Set Printing All.', 'ForbiddenCommand'],
    ['native_compute', 'native_compute.', 'ForbiddenCommand'],
    ['Quit', 'Quit.', 'ForbiddenCommand'],
    ['an unterminated string', 'idtac "x.', 'ParseError'],
    ['an unterminated comment', 'auto. (* ', 'ParseError'],
    ['a proof without a final period', 'auto', 'ParseError'],
    ['an empty proof', '(* nothing *)', 'ParseError'],
    ['a NUL byte', 'auto.\u0000', 'ParseError'],
  ];
  for (const [name, proof, reason] of cases) {
    it(`${name} → ${reason ?? 'accepted'}`, function () {
      expect(screenProof(proof)?.reason).to.equal(reason);
    });
  }

  it('names the forbidden command in its message', function () {
    expect(screenProof('Unset   Guard (* x *) Checking.')?.message).to.include('Guard Checking');
  });
});

describe('screenSource', function () {
  const cases: readonly [string, string, string | undefined][] = [
    ['a document with Qed and an Axiom', 'Axiom a : False.\nTheorem t : False. Proof. exact a. Qed.', undefined],
    ['Require of the standard library', 'From Coq Require Import Classical_Prop.', undefined],
    ['Load', 'Load "x".', 'ForbiddenCommand'],
    ['Declare ML Module', 'Declare ML Module "x".', 'ForbiddenCommand'],
    ['Add LoadPath', 'Add LoadPath "/" as R.', 'ForbiddenCommand'],
    ['Add Rec LoadPath', 'Add Rec LoadPath "/" as R.', 'ForbiddenCommand'],
    ['Add ML Path', 'Add ML Path "/".', 'ForbiddenCommand'],
    ['Cd', 'Cd "/".', 'ForbiddenCommand'],
    ['Redirect', 'Redirect "f" Check I.', 'ForbiddenCommand'],
    ['Extraction', 'Extraction "f" nat.', 'ForbiddenCommand'],
    ['Extract', 'Extract Constant x => "y".', 'ForbiddenCommand'],
    ['Admitted', 'Theorem t : False. Admitted.', 'ForbiddenCommand'],
    ['Admit Obligations', 'Admit Obligations.', 'ForbiddenCommand'],
    ['Reset', 'Reset Initial.', 'ForbiddenCommand'],
    ['Back', 'Back.', 'ForbiddenCommand'],
    ['BackTo', 'BackTo 3.', 'ForbiddenCommand'],
    ['Drop', 'Drop.', 'ForbiddenCommand'],
    ['Unset Guard Checking', 'Unset Guard Checking.', 'ForbiddenCommand'],
    ['Unset Positivity Checking', 'Local Unset Positivity Checking.', 'ForbiddenCommand'],
    ['Unset Universe Checking', '#[local] Unset Universe Checking.', 'ForbiddenCommand'],
    ['bypass_check', '#[bypass_check(guard)] Fixpoint f (n : nat) : False := f n.', 'ForbiddenCommand'],
    ['impredicative Set', 'Set Impredicative Set.', 'ForbiddenCommand'],
    ['Register', 'Register bool as kernel.ind_bool.', 'ForbiddenCommand'],
    ['Primitive', 'Primitive int := #int63_type.', 'ForbiddenCommand'],
    ['Load hidden after a comment', '(* x *)Load "x".', 'ForbiddenCommand'],
    ['Load in a comment', '(* Load "x". *)', undefined],
    ['Load in a string inside a comment', '(* "*)" Load *)', undefined],
  ];
  for (const [name, source, reason] of cases) {
    it(`${name} → ${reason ?? 'accepted'}`, function () {
      expect(screenSource(source)?.reason).to.equal(reason);
    });
  }
});

describe('screenTheoremName', function () {
  const cases: readonly [string, string, boolean][] = [
    ['a name', 'my_lemma', true],
    ['a qualified name', 'M.my_lemma', true],
    ['a primed name', "lemma'", true],
    ['a sentence', 'x. Axiom y : False', false],
    ['an empty name', '', false],
    ['a name with spaces', 'my lemma', false],
  ];
  for (const [name, theorem, ok] of cases) {
    it(`${name} → ${ok ? 'accepted' : 'InvalidTheorem'}`, function () {
      expect(screenTheoremName(theorem) === undefined).to.equal(ok);
    });
  }
});
