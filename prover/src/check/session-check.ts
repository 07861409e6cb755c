// A check in a warm session: trusted sentences around untrusted ones, then assumptions on a private route.
import { splitSentences } from './coq-lexer.js';
import type { ProtocolSession } from '../coq/session.js';
import { judgeAssumptions, parseAssumptions, parseLocatedName } from './assumptions.js';
import type { Conclusion } from './outcome.js';
import { bindProof, defineStatement, identitySentences, locateTerm, makeCheckNames, printAssumptions, requireUntrusted, stateTheorem, type CheckNames } from './trusted-text.js';

/** The request as the session sees it: untrusted source already compiled into `logicalModule`. */
export type SessionCheck =
  | { readonly kind: 'proof'; readonly statement: string; readonly proof: string; readonly allowedAxioms: readonly string[] }
  | { readonly kind: 'source'; readonly statement: string; readonly logicalModule: string; readonly theorem: string; readonly allowedAxioms: readonly string[] };

/** Turns a failed trusted statement sentence into a rejection. */
function invalidStatement(error: string): Conclusion {
  return { verdict: 'Rejected', reason: 'InvalidStatement', message: 'the statement does not elaborate in the kernel', messages: [error] };
}

/** Queries the assumptions of a constant and judges them against the allowed axioms. */
export async function checkAssumptions(session: ProtocolSession, constant: string, allowed: readonly string[]): Promise<Conclusion> {
  const answer = await session.query(printAssumptions(constant));
  if (!answer.ok) return { verdict: 'Failed', reason: 'CoqError', message: 'Coq could not list the assumptions', messages: [answer.error] };
  const report = parseAssumptions(answer.messages.join('\n'));
  const resolved = new Map<string, string | undefined>();
  for (const name of report.axioms) {
    const located = await session.query(locateTerm(name));
    resolved.set(name, located.ok ? parseLocatedName(located.messages.join('\n')) : undefined);
  }
  const problem = judgeAssumptions(report, resolved, allowed);
  const assumptions = report.axioms.map((name) => resolved.get(name) ?? name);
  if (problem !== undefined) return { verdict: 'Failed', reason: 'DisallowedAxiom', message: problem, assumptions };
  return { verdict: 'Proved', reason: 'Proved', message: 'Coq\'s kernel accepted the proof', assumptions };
}

/** Runs the untrusted proof against the theorem stated by the engine. */
async function checkProof(session: ProtocolSession, names: CheckNames, check: Extract<SessionCheck, { kind: 'proof' }>): Promise<Conclusion> {
  const stated = await session.exec(stateTheorem(names, check.statement));
  if (!stated.ok) return invalidStatement(stated.error);
  for (const sentence of splitSentences(check.proof)) {
    const step = await session.push(sentence.text);
    if (!step.ok) return { verdict: 'Failed', reason: 'CoqError', message: 'Coq rejected the proof', messages: [step.error] };
  }
  const goals = await session.goals();
  if ('error' in goals) return { verdict: 'Failed', reason: 'CoqError', message: 'Coq rejected the proof', messages: [goals.error] };
  if (!goals.proving) return { verdict: 'Failed', reason: 'Incomplete', message: 'the proof did not leave the theorem open for the engine to close' };
  if (goals.remaining.length > 0) return { verdict: 'Failed', reason: 'Incomplete', message: `${goals.remaining.length} goal(s) remain`, messages: goals.remaining };
  const closed = await session.exec('Qed.');
  if (!closed.ok) return { verdict: 'Failed', reason: 'CoqError', message: 'Coq\'s kernel rejected the proof at Qed', messages: [closed.error] };
  return checkAssumptions(session, names.theorem, check.allowedAxioms);
}

/** Loads a compiled untrusted document and compares its theorem with the statement elaborated beforehand. */
async function checkSource(session: ProtocolSession, names: CheckNames, check: Extract<SessionCheck, { kind: 'source' }>): Promise<Conclusion> {
  const defined = await session.exec(defineStatement(names, check.statement));
  if (!defined.ok) return invalidStatement(defined.error);
  const loaded = await session.exec(requireUntrusted(check.logicalModule));
  if (!loaded.ok) return { verdict: 'Failed', reason: 'CoqError', message: 'the compiled source does not load', messages: [loaded.error] };
  const bound = await session.exec(bindProof(names, `${check.logicalModule}.${check.theorem}`));
  if (!bound.ok) return { verdict: 'Failed', reason: 'TheoremNotFound', message: `the source defines no theorem ${check.theorem}`, messages: [bound.error] };
  for (const sentence of identitySentences(names)) {
    const step = await session.exec(sentence);
    if (!step.ok) return { verdict: 'Failed', reason: 'StatementMismatch', message: `the type of ${check.theorem} is not exactly the statement`, messages: [step.error] };
  }
  return checkAssumptions(session, names.proof, check.allowedAxioms);
}

/** Runs one check in a session and rolls back to the checkpoint afterwards (the caller handles timeouts). */
export async function runSessionCheck(session: ProtocolSession, nonce: string, check: SessionCheck): Promise<Conclusion> {
  const names = makeCheckNames(nonce);
  try {
    return check.kind === 'proof' ? await checkProof(session, names, check) : await checkSource(session, names, check);
  } finally {
    await session.rollback();
  }
}
