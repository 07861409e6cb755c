// Splits a goal into tokens, rejecting characters that can never be part of a goal.

import { PxlSyntaxError } from './syntax-error.js';

/** Token kinds of the surface syntax. */
export const tokenKinds = [
  'ident', 'lparen', 'rparen', 'comma', 'iff', 'imp', 'or', 'and', 'not',
  'boxKeyword', 'diaKeyword', 'boxSymbol', 'diaSymbol', 'top', 'bot', 'end',
] as const;

/** One token kind. */
export type TokenKind = (typeof tokenKinds)[number];

/** One token with its 1-based position (columns count Unicode code points). */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

// Multi-character operators, longest first so `<->` wins over a stray `<`.
const operators: readonly (readonly [string, TokenKind])[] = [
  ['<->', 'iff'], ['->', 'imp'], ['\\/', 'or'], ['/\\', 'and'],
  ['↔', 'iff'], ['→', 'imp'], ['∨', 'or'], ['∧', 'and'], ['~', 'not'], ['¬', 'not'],
  ['□', 'boxSymbol'], ['◇', 'diaSymbol'], ['⊤', 'top'], ['⊥', 'bot'],
  ['(', 'lparen'], [')', 'rparen'], [',', 'comma'],
];

const keywords: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['and', 'and'], ['or', 'or'], ['not', 'not'], ['BOX', 'boxKeyword'], ['DIA', 'diaKeyword'],
  ['DIAMOND', 'diaKeyword'], ['True', 'top'], ['False', 'bot'],
]);

// Other spellings of reserved words would silently become atoms; they are rejected instead.
const reservedLower: ReadonlyMap<string, string> = new Map([
  ['and', 'and'], ['or', 'or'], ['not', 'not'], ['box', 'BOX(…)'], ['dia', 'DIA(…)'],
  ['diamond', 'DIAMOND(…)'], ['true', 'True'], ['false', 'False'],
]);

// Operators from other notations, with the spelling PXL uses instead.
const foreignOperators: ReadonlyMap<string, string> = new Map([
  ['&', "'and', '/\\' or '∧'"], ['|', "'or', '\\/' or '∨'"], ['!', "'not', '~' or '¬'"],
  ['=', "'->' or '<->'"], ['<', "'<->'"], ['>', "'->'"], ['-', "'->'"], ['[', "BOX(…) or '□'"],
  [']', "BOX(…) or '□'"], ['⇒', "'->' or '→'"], ['⇔', "'<->' or '↔'"], ['◻', "'□' (U+25A1)"],
  ['⋄', "'◇' (U+25C7)"], ['◊', "'◇' (U+25C7)"],
]);

// Operators indexed by their first character, so each position tries only the few that can match.
const operatorsByFirst = new Map<string, (readonly [string, TokenKind])[]>();
for (const op of operators) {
  const first = op[0].charAt(0);
  operatorsByFirst.set(first, [...(operatorsByFirst.get(first) ?? []), op]);
}

const identStart = /[A-Za-z_]/;
const identPart = /[A-Za-z0-9_]/;
// Any Unicode space separates tokens (a pasted no-break space or byte-order mark is not an error); only LF ends a line.
const whitespace = /\s/u;

/** Describes a code point for error messages, quoting printable ones. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `control character ${hex}`;
  if (code >= 0xd800 && code <= 0xdfff) return `lone surrogate ${hex} (not valid Unicode)`;
  if (code === 0xfffd) return `replacement character ${hex} (the goal was not valid UTF-8)`;
  // Non-ASCII characters can look alike or be invisible, so the code point goes with them.
  return code < 0x80 ? `'${ch}'` : `'${ch}' (${hex})`;
}

/** Splits a goal into tokens, ending with an `end` token; throws PxlSyntaxError on a character that cannot start a token. */
export function tokenize(text: string): Token[] {
  // Code points, so a surrogate pair is one column and a lone surrogate is reported as such.
  const chars = Array.from(text);
  const tokens: Token[] = [];
  let line = 1;
  let column = 1;
  let i = 0;
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (chars[i] === '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i++;
    }
  };
  while (i < chars.length) {
    const ch = chars[i] ?? '';
    if (whitespace.test(ch)) {
      advance(1);
      continue;
    }
    if (identStart.test(ch)) {
      let j = i + 1;
      while (j < chars.length && identPart.test(chars[j] ?? '')) j++;
      const word = chars.slice(i, j).join('');
      const keyword = keywords.get(word);
      const reserved = reservedLower.get(word.toLowerCase());
      if (keyword === undefined && reserved !== undefined) {
        throw new PxlSyntaxError(line, column, `unknown word '${word}': reserved words are case-sensitive, write ${reserved}`);
      }
      tokens.push({ kind: keyword ?? 'ident', text: word, line, column });
      advance(j - i);
      continue;
    }
    // Argument names such as `plan_2683` or `2683` may start with a digit.
    if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < chars.length && identPart.test(chars[j] ?? '')) j++;
      tokens.push({ kind: 'ident', text: chars.slice(i, j).join(''), line, column });
      advance(j - i);
      continue;
    }
    const op = operatorsByFirst.get(ch)?.find(([spelling]) => spelling.length === 1 || chars.slice(i, i + spelling.length).join('') === spelling);
    if (op !== undefined) {
      tokens.push({ kind: op[1], text: op[0], line, column });
      advance(op[0].length);
      continue;
    }
    const instead = foreignOperators.get(ch);
    const what = describeChar(ch);
    throw new PxlSyntaxError(
      line,
      column,
      instead === undefined ? `unexpected ${what}` : `unknown operator ${what}: PXL writes ${instead}`,
    );
  }
  tokens.push({ kind: 'end', text: '', line, column });
  return tokens;
}
