// A check with coqc only: the untrusted document and then a trusted checker file, each in a fresh process.
import { compileInUnit, type CoqcOptions, type UntrustedUnit } from '../coq/coqc.js';
import { judgeAssumptions, parseAssumptions, parseLocatedName } from './assumptions.js';
import type { Conclusion } from './outcome.js';
import { compileUntrustedSource, splitCoqcMessages } from './source-compile.js';
import { bindProof, defineStatement, identitySentences, locateTerm, makeCheckNames, printAssumptions, requireUntrusted, stateTheorem } from './trusted-text.js';

/** What a coqc check needs besides the request. */
export interface BatchContext {
  readonly coqc: CoqcOptions;
  readonly unit: UntrustedUnit;
  readonly nonce: string;
  readonly importSentence: string;
}

/** The request for a coqc check. */
export interface BatchCheck {
  readonly statement: string;
  readonly proof?: string | undefined;
  readonly source?: string | undefined;
  readonly theorem?: string | undefined;
  readonly allowedAxioms: readonly string[];
  readonly timeoutMs: number;
}

const marker = (nonce: string, tag: string): string => `pxl_marker_${nonce}_${tag}`;
const markerLine = (nonce: string, tag: string): string => `No object of basename ${marker(nonce, tag)}`;

/** Returns the output between two marker lines printed by `Locate` of names nobody defines. */
function between(stdout: string, nonce: string, from: string, to: string): string | undefined {
  const start = stdout.indexOf(markerLine(nonce, from));
  const end = stdout.indexOf(markerLine(nonce, to));
  if (start < 0 || end < start) return undefined;
  return stdout.slice(start + markerLine(nonce, from).length, end).trim();
}

/** Reads the line number of coqc's first diagnostic. */
function firstErrorLine(stderr: string): number | undefined {
  const match = /line (\d+), characters/.exec(stderr);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Resolves printed axiom names to fully qualified ones with `Locate Term` in a trusted file. */
async function locateAll(ctx: BatchContext, names: readonly string[], timeoutMs: number): Promise<Map<string, string | undefined>> {
  const lines = [ctx.importSentence, requireUntrusted(ctx.unit.logicalModule)];
  names.forEach((name, i) => lines.push(`Locate ${marker(ctx.nonce, `l${i}`)}.`, locateTerm(name)));
  lines.push(`Locate ${marker(ctx.nonce, `l${names.length}`)}.`);
  const result = await compileInUnit(ctx.coqc, ctx.unit, `l${ctx.nonce}`, lines.join('\n') + '\n', timeoutMs);
  const resolved = new Map<string, string | undefined>();
  names.forEach((name, i) => {
    const answer = between(result.stdout, ctx.nonce, `l${i}`, `l${i + 1}`);
    resolved.set(name, answer === undefined ? undefined : parseLocatedName(answer));
  });
  return resolved;
}

/** Checks a request with coqc alone. */
export async function runBatchCheck(ctx: BatchContext, check: BatchCheck): Promise<Conclusion> {
  const deadline = Date.now() + check.timeoutMs;
  const remaining = (): number => Math.max(1, deadline - Date.now());
  const names = makeCheckNames(ctx.nonce);
  const extraLines = check.statement.split('\n').length - 1;
  const theoremName = check.source === undefined ? names.theorem : check.theorem ?? '';
  const document = check.source ?? [ctx.importSentence, stateTheorem(names, check.statement), check.proof ?? '', 'Qed.', ''].join('\n');
  const compiled = await compileUntrustedSource(ctx.coqc, ctx.unit, document, remaining());
  if (compiled !== undefined) {
    const errorLine = firstErrorLine(compiled.messages?.join('\n') ?? '') ?? 0;
    const statementLine = check.source === undefined && compiled.reason === 'CoqError' && errorLine >= 2 && errorLine <= 2 + extraLines;
    return statementLine ? { verdict: 'Rejected', reason: 'InvalidStatement', message: 'the statement does not elaborate in the kernel', messages: compiled.messages ?? [] } : compiled;
  }
  const theorem = `${ctx.unit.logicalModule}.${theoremName}`;
  const checker = [
    ctx.importSentence,
    defineStatement(names, check.statement),
    requireUntrusted(ctx.unit.logicalModule),
    bindProof(names, theorem),
    identitySentences(names).join(' '),
    'Qed.',
    `Locate ${marker(ctx.nonce, 'a')}.`,
    printAssumptions(names.proof),
    `Locate ${marker(ctx.nonce, 'b')}.`,
    '',
  ].join('\n');
  const result = await compileInUnit(ctx.coqc, ctx.unit, `k${ctx.nonce}`, checker, remaining());
  if (result.timedOut) return { verdict: 'Failed', reason: 'Timeout', message: `the check took longer than ${check.timeoutMs} ms` };
  if (result.code !== 0) {
    const messages = splitCoqcMessages(result.stderr);
    // The statement occupies lines 2 to 2 + extraLines; the engine's sentences follow, one per line.
    const line = firstErrorLine(result.stderr) ?? 0;
    if (line >= 2 && line <= 2 + extraLines) return { verdict: 'Rejected', reason: 'InvalidStatement', message: 'the statement does not elaborate in the kernel', messages };
    if (line === 4 + extraLines) return { verdict: 'Failed', reason: 'TheoremNotFound', message: `the source defines no theorem ${theoremName}`, messages };
    if (line === 5 + extraLines) return { verdict: 'Failed', reason: 'StatementMismatch', message: `the type of ${theoremName} is not exactly the statement`, messages };
    return { verdict: 'Failed', reason: 'CoqError', message: 'Coq rejected the check', messages };
  }
  const answer = between(result.stdout, ctx.nonce, 'a', 'b');
  if (answer === undefined) return { verdict: 'Failed', reason: 'DisallowedAxiom', message: 'Coq did not list the assumptions' };
  const report = parseAssumptions(answer);
  const resolved = report.axioms.length === 0 ? new Map<string, string | undefined>() : await locateAll(ctx, report.axioms, remaining());
  const assumptions = report.axioms.map((name) => resolved.get(name) ?? name);
  const problem = judgeAssumptions(report, resolved, check.allowedAxioms);
  if (problem !== undefined) return { verdict: 'Failed', reason: 'DisallowedAxiom', message: problem, assumptions };
  return { verdict: 'Proved', reason: 'Proved', message: 'Coq\'s kernel accepted the proof', assumptions };
}
