// Screening of untrusted text before Coq sees it: ordered small pure checks, each returning a finding or nothing.
import { CoqLexError, lexCoq, splitSentences, type CoqToken } from './coq-lexer.js';

/** Why a request was rejected before it reached Coq. */
export interface Finding {
  readonly reason: 'ForbiddenCommand' | 'InvalidStatement' | 'InvalidTheorem' | 'ParseError' | 'TooLarge';
  readonly message: string;
}

/** Size limits on the texts of one request, in UTF-16 code units. */
export const textLimits = { statement: 16 * 1024, proof: 256 * 1024, source: 256 * 1024 } as const;

// Single identifiers that escape the check, end or reset the proof or session, or touch the host.
const forbiddenWords: ReadonlyMap<string, string> = new Map([
  ['Load', 'loads a file'],
  ['Cd', 'changes the working directory'],
  ['Redirect', 'writes output to a file'],
  ['Extraction', 'writes extracted code'],
  ['Extract', 'changes extraction'],
  ['Separate', 'writes extracted code'],
  ['Recursive', 'writes extracted code'],
  ['Admitted', 'accepts an unfinished proof'],
  ['admitted', 'accepts an unfinished proof'],
  ['Admit', 'admits obligations without proof'],
  ['Abort', 'abandons the proof'],
  ['Reset', 'resets the session'],
  ['Back', 'backtracks the session'],
  ['BackTo', 'backtracks the session'],
  ['Undo', 'backtracks the proof'],
  ['Restart', 'restarts the proof'],
  ['Quit', 'ends the session'],
  ['Drop', 'leaves the toplevel'],
  ['native_compute', 'runs native code outside the kernel'],
  ['Register', 'changes what the kernel knows about primitive types'],
  ['Primitive', 'declares kernel primitives'],
  ['bypass_check', 'turns a kernel check off'],
  ['Impredicative', 'changes the logic (impredicative Set)'],
]);

// Multi-word commands, matched on consecutive tokens so spacing and comments do not hide them.
const forbiddenPhrases: readonly (readonly [readonly string[], string])[] = [
  [['Declare', 'ML', 'Module'], 'loads native code'],
  [['Add', 'LoadPath'], 'changes the load path'],
  [['Add', 'Rec', 'LoadPath'], 'changes the load path'],
  [['Add', 'ML', 'Path'], 'changes the ML load path'],
  [['Guard', 'Checking'], 'turns the kernel guard check off'],
  [['Positivity', 'Checking'], 'turns the kernel positivity check off'],
  [['Universe', 'Checking'], 'turns the kernel universe check off'],
];

// Declarations that would let a proof assume what it should prove.
const assumingWords = ['Axiom', 'Axioms', 'Parameter', 'Parameters', 'Hypothesis', 'Hypotheses', 'Variable', 'Variables', 'Conjecture', 'Context'];

/** Finds the first forbidden command among tokens (shared by proof and source). */
export function findForbiddenCommand(tokens: readonly CoqToken[]): Finding | undefined {
  for (const [index, token] of tokens.entries()) {
    if (token.kind !== 'ident') continue;
    const why = forbiddenWords.get(token.text);
    if (why !== undefined) return { reason: 'ForbiddenCommand', message: `forbidden command ${token.text}: it ${why}` };
    for (const [phrase, phraseWhy] of forbiddenPhrases) {
      if (phrase.every((word, k) => tokens[index + k]?.text === word)) {
        return { reason: 'ForbiddenCommand', message: `forbidden command ${phrase.join(' ')}: it ${phraseWhy}` };
      }
    }
  }
  return undefined;
}

/** Finds a word that would close the theorem early or assume something: the engine alone states and closes it. */
export function findProofClosingWord(tokens: readonly CoqToken[]): Finding | undefined {
  const words = tokens.filter((t) => t.kind === 'ident').map((t) => t.text);
  for (const word of ['Qed', 'Defined', 'Save', ...assumingWords]) {
    if (words.includes(word)) return { reason: 'ForbiddenCommand', message: `forbidden command ${word} in proof: the engine states and closes the theorem itself` };
  }
  return undefined;
}

/** Checks that each proof sentence starts like a tactic, not like a vernacular command. */
function findCommandSentence(text: string): Finding | undefined {
  for (const sentence of splitSentences(text)) {
    const [head, second] = sentence.tokens;
    if (head === undefined) continue;
    if (head.kind === 'symbol' && head.text === '#') return { reason: 'ForbiddenCommand', message: 'forbidden attribute in proof: attributes belong to commands, and a proof holds tactics only' };
    if (head.kind !== 'ident' || !/^\p{Lu}/u.test(head.text)) continue;
    if (head.text === 'Ltac') continue;
    if (head.text === 'Proof' && second?.kind === 'end') continue;
    return { reason: 'ForbiddenCommand', message: `forbidden command ${head.text} in proof: a proof holds tactics, bullets, Proof. and Ltac only` };
  }
  return undefined;
}

// Control characters have no place in Coq text and could break the protocol that carries it.
/** Finds the first control character other than tab, newline and carriage return. */
function findControlCharacter(text: string): { readonly code: number; readonly index: number } | undefined {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return { code, index };
  }
  return undefined;
}

/** Lexes text, turning a lexing failure or a control character into a ParseError finding. */
function lexOrFinding(text: string, what: string): CoqToken[] | Finding {
  const control = findControlCharacter(text);
  if (control !== undefined) return { reason: 'ParseError', message: `${what} contains the control character U+${control.code.toString(16).padStart(4, '0')} at offset ${control.index}` };
  try {
    return lexCoq(text);
  } catch (error) {
    if (error instanceof CoqLexError) return { reason: 'ParseError', message: `${what}: ${error.message} at offset ${error.offset}` };
    throw error;
  }
}

/** True when brackets in the tokens are balanced and properly nested. */
function isBalanced(tokens: readonly CoqToken[]): boolean {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'symbol') continue;
    if ('([{'.includes(token.text)) stack.push(token.text);
    const open = pairs[token.text];
    if (open !== undefined && stack.pop() !== open) return false;
  }
  return stack.length === 0;
}

/** Screens a trusted statement: it must be exactly one Coq term, so no command can ride along. */
export function screenStatement(statement: string): Finding | undefined {
  if (statement.length > textLimits.statement) return { reason: 'TooLarge', message: `statement is longer than ${textLimits.statement} characters` };
  const tokens = lexOrFinding(statement, 'statement');
  if (!Array.isArray(tokens)) return { ...tokens, reason: 'InvalidStatement' };
  if (tokens.length === 0) return { reason: 'InvalidStatement', message: 'statement is empty' };
  if (tokens.some((t) => t.kind === 'end')) return { reason: 'InvalidStatement', message: 'statement must be one term, without a sentence-ending period' };
  if (!isBalanced(tokens)) return { reason: 'InvalidStatement', message: 'statement has unbalanced brackets' };
  return findForbiddenCommand(tokens);
}

/** Screens untrusted proof tactics: forbidden commands anywhere, then only tactic sentences. */
export function screenProof(proof: string): Finding | undefined {
  if (proof.length > textLimits.proof) return { reason: 'TooLarge', message: `proof is longer than ${textLimits.proof} characters` };
  const tokens = lexOrFinding(proof, 'proof');
  if (!Array.isArray(tokens)) return tokens;
  if (tokens.length === 0) return { reason: 'ParseError', message: 'proof is empty' };
  const last = tokens.at(-1);
  if (last !== undefined && last.kind !== 'end' && !(last.kind === 'symbol' && last.text === '}')) return { reason: 'ParseError', message: 'proof must end with a period' };
  return findForbiddenCommand(tokens) ?? findProofClosingWord(tokens) ?? findCommandSentence(proof);
}

/** Screens an untrusted source document: forbidden commands anywhere (axioms are caught later by Print Assumptions). */
export function screenSource(source: string): Finding | undefined {
  if (source.length > textLimits.source) return { reason: 'TooLarge', message: `source is longer than ${textLimits.source} characters` };
  const tokens = lexOrFinding(source, 'source');
  if (!Array.isArray(tokens)) return tokens;
  return findForbiddenCommand(tokens);
}

/** Screens the theorem name that `source` must prove: a plain, possibly qualified identifier. */
export function screenTheoremName(theorem: string): Finding | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_']*(\.[A-Za-z_][A-Za-z0-9_']*)*$/.test(theorem) && theorem.length <= 256) return undefined;
  return { reason: 'InvalidTheorem', message: 'theorem must be a Coq identifier such as my_lemma or M.my_lemma' };
}
