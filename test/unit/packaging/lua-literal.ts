// Turns JSON into a Lua 5.1 table constructor, the shape Argo CD hands health scripts as the global `obj`.

/** Renders a JSON value as a Lua expression; null becomes nil, as in Argo CD's conversion. */
export function toLuaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return quoteLuaString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${String(value)} has no JSON form`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `{${value.map((item) => toLuaLiteral(item)).join(', ')}}`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => `[${quoteLuaString(key)}] = ${toLuaLiteral(item)}`);
    return `{${fields.join(', ')}}`;
  }
  throw new TypeError(`a ${typeof value} has no JSON form`);
}

/** Quotes a string for Lua 5.1, escaping every byte a short string cannot hold literally. */
export function quoteLuaString(text: string): string {
  let quoted = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22) quoted += '\\"';
    else if (byte === 0x5c) quoted += '\\\\';
    // Decimal escapes are padded to three digits so a following digit is never read as part of them.
    else if (byte < 0x20 || byte === 0x7f || byte >= 0x80) quoted += `\\${String(byte).padStart(3, '0')}`;
    else quoted += String.fromCharCode(byte);
  }
  return quoted + '"';
}
