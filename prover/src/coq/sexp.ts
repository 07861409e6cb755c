// The S-expression codec of SerAPI: atoms, quoted strings and lists, read from a growing buffer.

/** An S-expression: an atom (string) or a list. */
export type Sexp = string | readonly Sexp[];

/** Raised on text that is not a well-formed S-expression. */
export class SexpSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'SexpSyntaxError';
  }
}

const bareAtom = /^[A-Za-z0-9_.:+\-*/<>=!?'@#$%^&~|]+$/;

/** Writes an S-expression; atoms that are not bare words are quoted with OCaml escapes. */
export function writeSexp(value: Sexp): string {
  if (typeof value !== 'string') return `(${value.map(writeSexp).join(' ')})`;
  if (bareAtom.test(value)) return value;
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', '\\': '\\', '"': '"', "'": "'", ' ': ' ' };

/** Reads a quoted string at `start`; returns it and the offset after it, or undefined if the buffer ends first. */
function readQuoted(text: string, start: number): [string, number] | undefined {
  let out = '';
  let bytes = false;
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') return [bytes ? decodeBytes(out) : out, i + 1];
    if (c !== '\\') {
      out += c;
      i += 1;
      continue;
    }
    const next = text.charAt(i + 1);
    if (next === '') return undefined;
    if (/[0-9]/.test(next)) {
      // OCaml decimal escape \DDD is a byte; SerAPI uses it for non-ASCII UTF-8.
      const digits = text.slice(i + 1, i + 4);
      if (digits.length < 3) return undefined;
      out += String.fromCharCode(Number(digits));
      bytes = true;
      i += 4;
      continue;
    }
    const mapped = escapes[next];
    if (mapped === undefined) throw new SexpSyntaxError(`unknown escape \\${next}`, i);
    out += mapped;
    i += 2;
  }
  return undefined;
}

/** Reads one S-expression at `start`; returns it with the offset after it, or undefined when incomplete. */
function readAt(text: string, start: number): [Sexp, number] | undefined {
  let i = start;
  while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
  if (i >= text.length) return undefined;
  const c = text.charAt(i);
  if (c === ')') throw new SexpSyntaxError('unexpected )', i);
  if (c === '"') {
    const quoted = readQuoted(text, i);
    return quoted;
  }
  if (c === '(') {
    const items: Sexp[] = [];
    i += 1;
    for (;;) {
      while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
      if (i >= text.length) return undefined;
      if (text.charAt(i) === ')') return [items, i + 1];
      const item = readAt(text, i);
      if (item === undefined) return undefined;
      items.push(item[0]);
      i = item[1];
    }
  }
  let j = i;
  while (j < text.length && !/[\s()"]/.test(text.charAt(j))) j += 1;
  // An atom at the very end may still be growing.
  if (j >= text.length) return undefined;
  return [text.slice(i, j), j];
}

/** Turns a string of byte-valued characters from decimal escapes back into UTF-8 text. */
function decodeBytes(text: string): string {
  return Buffer.from(Array.from(text, (ch) => ch.charCodeAt(0) & 0xff)).toString('utf8');
}

/** Reads every complete top-level S-expression from the buffer and returns the rest. */
export function takeSexps(buffer: string): { values: Sexp[]; rest: string } {
  const values: Sexp[] = [];
  let i = 0;
  for (;;) {
    const read = readAt(buffer, i);
    if (read === undefined) return { values, rest: buffer.slice(i) };
    values.push(read[0]);
    i = read[1];
  }
}

/** Parses text holding exactly one S-expression. */
export function parseSexp(text: string): Sexp {
  const { values, rest } = takeSexps(`${text} `);
  if (values.length !== 1 || rest.trim() !== '') throw new SexpSyntaxError('expected exactly one S-expression', 0);
  return values[0] ?? [];
}

/** Finds the value of a `(key value…)` field in a list of fields. */
export function field(value: Sexp | undefined, key: string): Sexp | undefined {
  if (value === undefined || typeof value === 'string') return undefined;
  for (const item of value) {
    if (typeof item !== 'string' && item[0] === key) return item.length === 2 ? item[1] : item.slice(1);
  }
  return undefined;
}
