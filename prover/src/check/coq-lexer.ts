// A lexer for untrusted Coq text: finds sentences and tokens exactly where Coq would, so that
// screening cannot be fooled by comments, strings or unusual spacing.

/** A token of Coq text outside comments and strings (strings are kept as one token). */
export interface CoqToken {
  readonly kind: 'ident' | 'number' | 'string' | 'symbol' | 'end';
  readonly text: string;
  readonly offset: number;
}

/** One sentence: its raw text (with comments, as Coq will see it) and its tokens. */
export interface CoqSentence {
  readonly text: string;
  readonly tokens: readonly CoqToken[];
}

/** Raised when Coq text cannot be lexed (an unterminated comment or string). */
export class CoqLexError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'CoqLexError';
  }
}

const isBlank = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isIdentStart = (c: string): boolean => /[\p{L}_]/u.test(c);
const isIdentPart = (c: string): boolean => /[\p{L}\p{N}_']/u.test(c);

/** Returns the offset just after the string literal that starts at `start` ("" escapes a quote). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) throw new CoqLexError('unterminated string', start);
    if (text[q + 1] === '"') {
      i = q + 2;
      continue;
    }
    return q + 1;
  }
}

/** Returns the offset just after the (nested) comment that starts at `start`; Coq lexes strings inside comments. */
function skipComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('(*', i)) {
      depth += 1;
      i += 2;
    } else if (text.startsWith('*)', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else if (text[i] === '"') {
      i = skipString(text, i);
    } else {
      i += 1;
    }
  }
  throw new CoqLexError('unterminated comment', start);
}

/** Splits Coq text into tokens; a period followed by a blank or the end of text is a sentence end. */
export function lexCoq(text: string): CoqToken[] {
  const tokens: CoqToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (isBlank(c)) {
      i += 1;
    } else if (text.startsWith('(*', i)) {
      i = skipComment(text, i);
    } else if (c === '"') {
      const end = skipString(text, i);
      tokens.push({ kind: 'string', text: text.slice(i, end), offset: i });
      i = end;
    } else if (c === '.' && isBlank(text[i + 1])) {
      tokens.push({ kind: 'end', text: '.', offset: i });
      i += 1;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      // Qualified names (A.b.c) are one token; a dot followed by a blank ends the sentence instead.
      while (j < text.length && (isIdentPart(text.charAt(j)) || (text[j] === '.' && isIdentStart(text.charAt(j + 1))))) j += 1;
      tokens.push({ kind: 'ident', text: text.slice(i, j), offset: i });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[0-9_]/.test(text.charAt(j))) j += 1;
      tokens.push({ kind: 'number', text: text.slice(i, j), offset: i });
      i = j;
    } else {
      tokens.push({ kind: 'symbol', text: c, offset: i });
      i += 1;
    }
  }
  return tokens;
}

/** True when a token is a bullet or brace, which Coq accepts as a sentence without a period. */
function isBullet(token: CoqToken | undefined): token is CoqToken {
  return token?.kind === 'symbol' && ['-', '+', '*', '{', '}'].includes(token.text);
}

/** Splits Coq text into sentences (period-terminated, plus bullets and braces on their own). */
export function splitSentences(text: string): CoqSentence[] {
  const tokens = lexCoq(text);
  const sentences: CoqSentence[] = [];
  let current: CoqToken[] = [];
  let start = 0;
  const flush = (endOffset: number): void => {
    sentences.push({ text: text.slice(start, endOffset), tokens: current });
    current = [];
    start = endOffset;
  };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token === undefined) break;
    if (current.length === 0 && isBullet(token)) {
      current.push(token);
      let last = token;
      // A run of one bullet character (--, ***) is one bullet; braces stand alone.
      if (token.text !== '{' && token.text !== '}') {
        for (let next = tokens[i + 1]; next?.text === token.text && next.offset === last.offset + 1; next = tokens[i + 1]) {
          current.push(next);
          last = next;
          i += 1;
        }
      }
      flush(last.offset + 1);
    } else {
      current.push(token);
      if (token.kind === 'end') flush(token.offset + 1);
    }
    i += 1;
  }
  if (current.length > 0) sentences.push({ text: text.slice(start), tokens: current });
  return sentences;
}
