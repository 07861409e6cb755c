// The abstract syntax of PXL goals, shared by the parser, printer, translation and decision procedures.

/** A PXL formula: the parsed form of a `goal`, before translation to the kernel. */
export type Formula =
  | { readonly kind: 'atom'; readonly name: string }
  | { readonly kind: 'bot' }
  | { readonly kind: 'top' }
  | { readonly kind: 'not'; readonly arg: Formula }
  | { readonly kind: 'box'; readonly arg: Formula }
  | { readonly kind: 'dia'; readonly arg: Formula }
  | { readonly kind: BinaryKind; readonly left: Formula; readonly right: Formula };

/** The binary connectives, tightest last. */
export const binaryKinds = ['iff', 'imp', 'or', 'and'] as const;

/** One binary connective. */
export type BinaryKind = (typeof binaryKinds)[number];

/** Every formula kind. */
export type FormulaKind = Formula['kind'];

/** Builds an atom. */
export function makeAtom(name: string): Formula {
  return { kind: 'atom', name };
}

/** Builds a formula from a binary connective and its operands. */
export function makeBinary(kind: BinaryKind, left: Formula, right: Formula): Formula {
  return { kind, left, right };
}

/** Returns the children of a formula, left to right. */
export function listChildren(f: Formula): readonly Formula[] {
  switch (f.kind) {
    case 'atom':
    case 'bot':
    case 'top':
      return [];
    case 'not':
    case 'box':
    case 'dia':
      return [f.arg];
    default:
      return [f.left, f.right];
  }
}

/** Returns the atom names of a formula in order of first appearance (left to right). */
export function listAtoms(f: Formula): string[] {
  const seen = new Set<string>();
  const visit = (g: Formula): void => {
    if (g.kind === 'atom') seen.add(g.name);
    for (const c of listChildren(g)) visit(c);
  };
  visit(f);
  return [...seen];
}

/** Tells whether two formulas are structurally identical. */
export function equalFormulas(a: Formula, b: Formula): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'atom') return b.kind === 'atom' && a.name === b.name;
  const ca = listChildren(a);
  const cb = listChildren(b);
  return ca.length === cb.length && ca.every((c, i) => {
    const d = cb[i];
    return d !== undefined && equalFormulas(c, d);
  });
}

/** Returns the depth of the formula tree: 1 for an atom or constant. */
export function measureDepth(f: Formula): number {
  let deepest = 0;
  for (const c of listChildren(f)) deepest = Math.max(deepest, measureDepth(c));
  return deepest + 1;
}
