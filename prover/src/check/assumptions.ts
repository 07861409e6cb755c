// Reading Coq's `Print Assumptions` answer (obtained on a private channel) and judging it fail-closed.

/** What a `Print Assumptions` answer says the theorem rests on. */
export interface AssumptionReport {
  /** Names of axioms (including admitted constants) as Coq printed them. */
  readonly axioms: readonly string[];
  /** Kernel checks that were bypassed: unsafe guard, positivity or universe hierarchy. */
  readonly bypasses: readonly string[];
  /** Lines that fit no known shape; any of these fails the check (fail closed). */
  readonly unrecognised: readonly string[];
}

const qualid = String.raw`[\p{L}_][\p{L}\p{N}_']*(?:\.[\p{L}_][\p{L}\p{N}_']*)*`;
const axiomLine = new RegExp(String.raw`^(${qualid})(?: : .*)?$`, 'u');
const bypassLine = new RegExp(String.raw`^(${qualid}) (?:is assumed to be (?:guarded|positive)|relies on an unsafe hierarchy)\.$`, 'u');

/** Parses the text of `Print Assumptions`: "Closed under the global context", or sections of column-0 entries. */
export function parseAssumptions(text: string): AssumptionReport {
  const lines = text.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '');
  if (lines.length === 1 && lines[0] === 'Closed under the global context') return { axioms: [], bypasses: [], unrecognised: [] };
  const axioms: string[] = [];
  const bypasses: string[] = [];
  const unrecognised: string[] = [];
  let section: string | undefined;
  for (const line of lines) {
    if (/^\s/.test(line)) {
      // A continuation of the type printed on the line above; a type cannot name an assumption.
      if (section === undefined) unrecognised.push(line);
      continue;
    }
    if (/^[A-Z][A-Za-z ]*:$/.test(line)) {
      section = line;
      continue;
    }
    const bypass = bypassLine.exec(line);
    const axiom = axiomLine.exec(line);
    if (section === 'Axioms:' && bypass !== null) bypasses.push(line);
    else if (section === 'Axioms:' && axiom?.[1] !== undefined) axioms.push(axiom[1]);
    else unrecognised.push(section === undefined ? line : `${section} ${line}`);
  }
  if (lines.length === 0) unrecognised.push('(empty answer)');
  return { axioms, bypasses, unrecognised };
}

/** Reads the fully qualified name from a `Locate Term` answer ("Constant Coq.Logic.Classical_Prop.classic …"). */
export function parseLocatedName(text: string): string | undefined {
  const first = text.split('\n')[0]?.trim() ?? '';
  const match = new RegExp(String.raw`^(?:Constant|Inductive|Constructor) (${qualid})(?: \(.*\))?$`, 'u').exec(first);
  return match?.[1];
}

/** The verdict on what a theorem rests on: undefined when only allowed axioms are used, else a message. */
export function judgeAssumptions(report: AssumptionReport, resolved: ReadonlyMap<string, string | undefined>, allowed: readonly string[]): string | undefined {
  if (report.bypasses.length > 0) return `the proof bypasses a kernel check: ${report.bypasses.join('; ')}`;
  if (report.unrecognised.length > 0) return `unrecognised assumptions answer: ${report.unrecognised.slice(0, 3).join('; ')}`;
  const disallowed = report.axioms.filter((name) => {
    const full = resolved.get(name);
    return full === undefined || !allowed.includes(full);
  });
  if (disallowed.length === 0) return undefined;
  return `the proof rests on disallowed axioms: ${disallowed.map((name) => resolved.get(name) ?? name).join(', ')}`;
}
