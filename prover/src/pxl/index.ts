// The PXL goal language: parsing, printing, translation to the kernel, S5 countermodels and derivation search.
// No Coq process and no HTTP here: callers check the emitted scripts with Coq themselves.

export type { Formula, BinaryKind, FormulaKind } from './formula.js';
export { equalFormulas, listAtoms } from './formula.js';
export type { ParseError, ParseResult } from './parser.js';
export { parseGoal, parseGoalBytes } from './parser.js';
export { printFormula } from './printer.js';
export type { Translation } from './translate.js';
export { translateGoal } from './translate.js';
export type { Countermodel, CountermodelWorld, CountermodelLimits, CountermodelResult } from './countermodel.js';
export { findCountermodel } from './countermodel.js';
export type { DerivationLimits, DerivationResult } from './derivation.js';
export { searchDerivation } from './derivation.js';
export { goalLimits } from './limits.js';
