/**
 * Kubernetes `$(VAR)` expansion, as the kubelet applies it to env values, command and args:
 * `$(NAME)` becomes the value of NAME when it is defined, stays literal when it is not,
 * and `$$` escapes a dollar sign.
 */

/** Expands every `$(NAME)` in input through lookup, leaving unknown references untouched. */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    const next = input.charAt(i + 1);
    if (ch === '$' && next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (ch === '$' && next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close !== -1) {
        const name = input.slice(i + 2, close);
        out += (name === '' ? undefined : lookup(name)) ?? input.slice(i, close + 1);
        i = close + 1;
        continue;
      }
    }
    out += ch;
    i += 1;
  }
  return out;
}
