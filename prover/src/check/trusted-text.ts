// The trusted sentences the engine wraps around untrusted text; pure, so they can be read and tested as a table.

/** Names chosen by the engine per check, unguessable by the untrusted text. */
export interface CheckNames {
  readonly theorem: string;
  readonly statement: string;
  /** A trusted constant whose body is the untrusted theorem: what is compared and audited. */
  readonly proof: string;
}

/** Makes the per-check names from a random nonce (lower-case hex). */
export function makeCheckNames(nonce: string): CheckNames {
  return { theorem: `pxl_goal_${nonce}`, statement: `pxl_statement_${nonce}`, proof: `pxl_proof_${nonce}` };
}

/** States the trusted statement as the theorem the untrusted proof must prove. */
export function stateTheorem(names: CheckNames, statement: string): string {
  return `Theorem ${names.theorem} : (${statement}).`;
}

/** Elaborates the trusted statement as a definition, before any untrusted library is loaded. */
export function defineStatement(names: CheckNames, statement: string): string {
  return `Definition ${names.statement} := (${statement}).`;
}

/** Loads a compiled untrusted library without importing it (no notations, no scopes of its own). */
export function requireUntrusted(logicalModule: string): string {
  return `Require ${logicalModule}.`;
}

/**
 * Binds the untrusted theorem to a trusted name, so that the identity check and Print Assumptions both look at
 * exactly this term, even when the untrusted name is an abbreviation rather than a constant.
 */
export function bindProof(names: CheckNames, theorem: string): string {
  return `Definition ${names.proof} := @${theorem}.`;
}

/**
 * The identity check: the theorem's type must be syntactically the trusted statement (up to renaming of bound
 * variables and universe levels), not merely convertible, compared by Coq itself in the trusted context.
 */
export function identitySentences(names: CheckNames): readonly string[] {
  return [
    'Goal True.',
    `let t := type of ${names.proof} in let s := eval unfold ${names.statement} in ${names.statement} in constr_eq t s; exact I.`,
  ];
}

/** Asks Coq for the assumptions of a constant. */
export function printAssumptions(theorem: string): string {
  return `Print Assumptions ${theorem}.`;
}

/** Asks Coq which object a printed name denotes, to compare fully qualified names. */
export function locateTerm(name: string): string {
  return `Locate Term ${name}.`;
}
