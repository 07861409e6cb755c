(* PXLv3: the built-in PXL kernel, modal logic S5 as a Hilbert system over an
   implicational base. Logical path PXLs: From PXLs Require Import PXLv3.
   Nothing here is assumed: no Axiom, Parameter or Admitted. *)

Inductive form : Type :=
| Atom : nat -> form
| Bot : form
| Neg : form -> form
| Conj : form -> form -> form
| Disj : form -> form -> form
| Impl : form -> form -> form
| Box : form -> form
| Dia : form -> form.

Inductive Prov : form -> Prop :=
| ax_K : forall p q, Prov (Impl (Box (Impl p q)) (Impl (Box p) (Box q)))
| ax_T : forall p, Prov (Impl (Box p) p)
| ax_4 : forall p, Prov (Impl (Box p) (Box (Box p)))
| ax_5 : forall p, Prov (Impl (Dia p) (Box (Dia p)))
| ax_PL_imp : forall p q r, Prov (Impl (Impl p q) (Impl (Impl q r) (Impl p r)))
| ax_PL_and1 : forall p q, Prov (Impl (Conj p q) p)
| ax_PL_and2 : forall p q, Prov (Impl (Conj p q) q)
| ax_PL_orE : forall p q r, Prov (Impl (Impl p r) (Impl (Impl q r) (Impl (Disj p q) r)))
| ax_PL_orI1 : forall p q, Prov (Impl p (Disj p q))
| ax_PL_orI2 : forall p q, Prov (Impl q (Disj p q))
| ax_PL_neg_elim : forall p, Prov (Impl (Neg p) (Impl p Bot))
| ax_PL_botE : forall p, Prov (Impl Bot p)
| ax_PL_k : forall p q, Prov (Impl p (Impl q p))
| ax_PL_and_intro : forall p q, Prov (Impl p (Impl q (Conj p q)))
| ax_PL_neg_intro : forall p, Prov (Impl (Impl p Bot) (Neg p))
| ax_PL_imp_exch : forall p q r, Prov (Impl (Impl p (Impl q r)) (Impl q (Impl p r)))
| ax_PL_neg_imp_any : forall a b, Prov (Impl (Neg a) (Impl a b))
| ax_modal_dual_dia_box1 : forall p, Prov (Impl (Neg (Dia p)) (Box (Neg p)))
| ax_modal_dual_dia_box2 : forall p, Prov (Impl (Box (Neg p)) (Neg (Dia p)))
| ax_modal_dual_box_dia1 : forall p, Prov (Impl (Neg (Box p)) (Dia (Neg p)))
| ax_modal_dual_box_dia2 : forall p, Prov (Impl (Dia (Neg p)) (Neg (Box p)))
| mp : forall p q, Prov (Impl p q) -> Prov p -> Prov q
| nec : forall p, Prov p -> Prov (Box p).
