// A plain text table in the style of kubectl: upper-case headers, columns padded to the widest cell.

/** Formats rows under headers with two spaces between columns. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('   ').trimEnd();
  return [format(headers), ...rows.map(format)].join('\n') + '\n';
}
