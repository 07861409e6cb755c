// Recursive-descent parser for PXL goals; nesting is bounded so hostile input cannot overflow the stack.

import { makeAtom, makeBinary, type BinaryKind, type Formula } from './formula.js';
import { tokenize, describeChar, type Token, type TokenKind } from './lexer.js';
import { goalLimits } from './limits.js';
import { PxlSyntaxError } from './syntax-error.js';

/** Where and why a goal failed to parse; `message` names the offending token and what was expected. */
export interface ParseError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The result of parsing a goal. */
export type ParseResult = { readonly ok: true; readonly formula: Formula } | { readonly ok: false; readonly error: ParseError };

interface Parsed {
  readonly formula: Formula;
  readonly depth: number;
  // Nodes after expanding `<->`, to bound the kernel translation.
  readonly size: number;
}

const expectedFormula = "a formula (an atom, True, False, not, BOX(, DIA(, □, ◇ or '(')";

const binaryToken: Readonly<Record<BinaryKind, TokenKind>> = { iff: 'iff', imp: 'imp', or: 'or', and: 'and' };

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the goal';
  return token.text.length === 1 ? describeChar(token.text) : `'${token.text}'`;
}

class Parser {
  private position = 0;
  private open = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseGoal(): Formula {
    const parsed = this.parseIff();
    const next = this.peek();
    if (next.kind !== 'end') {
      const hint = next.kind === 'rparen' ? "a matching '(' before it" : "an operator ('<->', '->', 'or', 'and') or the end of the goal";
      this.fail(next, `expected ${hint} but found ${describeToken(next)}`);
    }
    return parsed.formula;
  }

  private peek(): Token {
    const token = this.tokens[this.position] ?? this.tokens[this.tokens.length - 1];
    if (token === undefined) throw new PxlSyntaxError(1, 1, 'internal: no tokens');
    return token;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private fail(token: Token, message: string): never {
    throw new PxlSyntaxError(token.line, token.column, message);
  }

  private combine(kind: BinaryKind, left: Parsed, right: Parsed, at: Token): Parsed {
    const depth = Math.max(left.depth, right.depth) + 1;
    if (depth > goalLimits.maxDepth) {
      this.fail(at, `formula nested more than ${goalLimits.maxDepth} levels deep at ${describeToken(at)}; split the goal or add fewer connectives`);
    }
    const size = kind === 'iff' ? 2 * (left.size + right.size) + 3 : left.size + right.size + 1;
    if (size > goalLimits.maxTranslatedNodes) {
      this.fail(at, `goal too large: its kernel translation (with '<->' expanded) exceeds ${goalLimits.maxTranslatedNodes} nodes at ${describeToken(at)}`);
    }
    return { formula: makeBinary(kind, left.formula, right.formula), depth, size };
  }

  private parseIff(): Parsed {
    const left = this.parseChain('imp');
    if (this.peek().kind !== 'iff') return left;
    const op = this.take();
    const right = this.parseChain('imp');
    const again = this.peek();
    if (again.kind === 'iff') {
      this.fail(again, `expected ')' or the end of the goal but found ${describeToken(again)}: '<->' does not chain, add parentheses`);
    }
    return this.combine('iff', left, right, op);
  }

  // `->`, `or` and `and` are right-associative, as in Coq; operands are collected in a loop, not by recursion.
  private parseChain(kind: 'imp' | 'or' | 'and'): Parsed {
    const operand = (): Parsed => (kind === 'imp' ? this.parseChain('or') : kind === 'or' ? this.parseChain('and') : this.parsePrefix());
    const operands: Parsed[] = [operand()];
    const ops: Token[] = [];
    while (this.peek().kind === binaryToken[kind]) {
      ops.push(this.take());
      operands.push(operand());
    }
    let result = operands.pop();
    if (result === undefined) return this.fail(this.peek(), `expected ${expectedFormula}`);
    for (let k = operands.length - 1; k >= 0; k--) {
      const left = operands[k];
      const op = ops[k];
      if (left === undefined || op === undefined) break;
      result = this.combine(kind, left, result, op);
    }
    return result;
  }

  private enter(token: Token): void {
    this.open++;
    if (this.open > goalLimits.maxDepth) {
      this.fail(token, `formula nested more than ${goalLimits.maxDepth} levels deep at ${describeToken(token)}`);
    }
  }

  private wrap(kind: 'not' | 'box' | 'dia', inner: Parsed, at: Token): Parsed {
    const depth = inner.depth + 1;
    if (depth > goalLimits.maxDepth) this.fail(at, `formula nested more than ${goalLimits.maxDepth} levels deep at ${describeToken(at)}`);
    return { formula: { kind, arg: inner.formula }, depth, size: inner.size + 1 };
  }

  private parsePrefix(): Parsed {
    const token = this.take();
    switch (token.kind) {
      case 'not':
      case 'boxSymbol':
      case 'diaSymbol': {
        this.enter(token);
        const inner = this.parsePrefix();
        this.open--;
        return this.wrap(token.kind === 'not' ? 'not' : token.kind === 'boxSymbol' ? 'box' : 'dia', inner, token);
      }
      case 'boxKeyword':
      case 'diaKeyword': {
        const paren = this.take();
        if (paren.kind !== 'lparen') this.fail(paren, `expected '(' after ${token.text} but found ${describeToken(paren)}`);
        return this.wrap(token.kind === 'boxKeyword' ? 'box' : 'dia', this.parseGroup(paren, `the ${token.text}(`), token);
      }
      case 'lparen':
        return this.parseGroup(token, "the '('");
      case 'top':
        return { formula: { kind: 'top' }, depth: 1, size: 3 };
      case 'bot':
        return { formula: { kind: 'bot' }, depth: 1, size: 1 };
      case 'ident':
        return { formula: makeAtom(this.parseAtomName(token)), depth: 1, size: 1 };
      default:
        return this.fail(token, `expected ${expectedFormula} but found ${describeToken(token)}`);
    }
  }

  private parseGroup(open: Token, what: string): Parsed {
    this.enter(open);
    const inner = this.parseIff();
    this.open--;
    const close = this.take();
    if (close.kind !== 'rparen') {
      const expected = close.kind === 'end' ? `')' to close ${what} at line ${open.line}, column ${open.column}` : "an operator or ')'";
      this.fail(close, `expected ${expected} but found ${describeToken(close)}`);
    }
    return inner;
  }

  // `Good(a, b)` is one atom, normalised to `Good(a,b)`.
  private parseAtomName(head: Token): string {
    if (!/^[A-Za-z_]/.test(head.text)) this.fail(head, `expected ${expectedFormula} but found '${head.text}': atom names start with a letter or '_'`);
    if (this.peek().kind !== 'lparen') return head.text;
    this.take();
    const args: string[] = [];
    if (this.peek().kind === 'rparen') {
      this.take();
      return `${head.text}()`;
    }
    for (;;) {
      const arg = this.take();
      if (arg.kind !== 'ident') this.fail(arg, `expected an argument name in ${head.text}(…) but found ${describeToken(arg)}`);
      args.push(arg.text);
      const sep = this.take();
      if (sep.kind === 'rparen') return `${head.text}(${args.join(',')})`;
      if (sep.kind !== 'comma') this.fail(sep, `expected ',' or ')' in ${head.text}(…) but found ${describeToken(sep)}`);
    }
  }
}

/** Parses a PXL goal; never throws, and rejects over-long, over-deep or malformed input with a positioned message. */
export function parseGoal(text: string): ParseResult {
  try {
    if (text.length > goalLimits.maxLength) {
      return { ok: false, error: { line: 1, column: 1, message: `goal is ${text.length} characters long; the limit is ${goalLimits.maxLength}` } };
    }
    return { ok: true, formula: new Parser(tokenize(text)).parseGoal() };
  } catch (err) {
    if (err instanceof PxlSyntaxError) return { ok: false, error: { line: err.line, column: err.column, message: err.message } };
    // Only reachable when the caller's own stack is nearly full; the depth bound keeps normal calls far from it.
    if (err instanceof RangeError) return { ok: false, error: { line: 1, column: 1, message: 'goal nested too deeply to parse on this stack' } };
    // Anything else is a bug here, but a goal must never crash the prover.
    return { ok: false, error: { line: 1, column: 1, message: `internal parser error: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

/** Decodes a goal from raw bytes and parses it, rejecting invalid UTF-8 with its position. */
export function parseGoalBytes(bytes: Uint8Array): ParseResult {
  if (bytes.length > goalLimits.maxLength * 4) {
    return { ok: false, error: { line: 1, column: 1, message: `goal is ${bytes.length} bytes long; the limit is ${goalLimits.maxLength} characters` } };
  }
  // Non-fatal decoding marks each bad sequence with U+FFFD, which the lexer reports with its line and column.
  return parseGoal(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
}
