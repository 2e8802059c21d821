// Plain-text tables for the CLI: the event log, --state, the repro matrix. Columns are as wide as
// their widest cell (header included), so a column never drifts; the last column is not padded.

export interface Column {
  header: string;
  /** Right-align (numbers). */
  right?: boolean;
}

export function table(columns: readonly Column[], rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => indent + cells.map((cell, i) => {
    if (i === cells.length - 1 && !columns[i]!.right) return cell;
    return columns[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
  }).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
