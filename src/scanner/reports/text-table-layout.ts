/**
 * Lays out plain-text tables that stay aligned within a width: columns shrink (those marked
 * `shrinkFirst`, then the widest) down to their minimum, and a cell wider than its column wraps
 * onto further lines, so nothing is cut away.
 */

/** One column of a text table. */
export interface TextColumn {
  readonly header: string;
  /** Never narrower than this (nor than the header); a column without it never shrinks. */
  readonly minWidth?: number;
  /** Shrinks before the others: free text that reads well wrapped, like a message. */
  readonly shrinkFirst?: boolean;
}

/** One row: its cells, and notes shown under it (aliases, evidence), wrapped. */
export interface TextRow {
  readonly cells: readonly string[];
  readonly notes?: readonly string[];
}

const GAP = '  ';

/** Length in code points, so a non-ASCII character counts once. */
function textWidth(text: string): number {
  return Array.from(text).length;
}

/** Punctuation a version, path or code reads well broken after. */
const BREAK_AFTER = new Set(['-', '~', '/', '.', '_', ':', '+']);

/** Where to split a word longer than `limit`: after its last punctuation in the second half. */
function breakPoint(chars: readonly string[], limit: number): number {
  for (let index = limit - 1; index >= Math.ceil(limit / 2); index -= 1) {
    if (BREAK_AFTER.has(chars[index] ?? '')) return index + 1;
  }
  return limit;
}

// A word longer than the width is split, after punctuation where it can be.
/** Wraps text at spaces into lines of at most `width` code points. */
export function wrapText(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    if (line !== '' && textWidth(line) + 1 + textWidth(rest) <= limit) {
      line = `${line} ${rest}`;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    while (textWidth(rest) > limit) {
      const chars = Array.from(rest);
      const cut = breakPoint(chars, limit);
      lines.push(chars.slice(0, cut).join(''));
      rest = chars.slice(cut).join('');
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

function padRight(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

/** Column widths that fit `width` where the minimums allow: the widest shrinkable column gives first. */
function fitWidths(columns: readonly TextColumn[], rows: readonly TextRow[], width: number) {
  const widths = columns.map((column, index) =>
    Math.max(textWidth(column.header), ...rows.map((row) => textWidth(row.cells[index] ?? ''))),
  );
  const minimums = columns.map((column, index) =>
    column.minWidth === undefined
      ? (widths[index] ?? 0)
      : Math.max(textWidth(column.header), column.minWidth),
  );
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP.length * (columns.length - 1);
  const widest = (first: boolean) => {
    let found = -1;
    columns.forEach((column, index) => {
      const slack = (widths[index] ?? 0) - (minimums[index] ?? 0);
      if (slack <= 0 || (first && column.shrinkFirst !== true)) return;
      if (found < 0 || (widths[index] ?? 0) > (widths[found] ?? 0)) found = index;
    });
    return found;
  };
  while (total() > width) {
    const index = widest(true) >= 0 ? widest(true) : widest(false);
    if (index < 0) break;
    widths[index] = (widths[index] ?? 0) - 1;
  }
  return widths;
}

// Notes start under column `notesColumn`; trailing spaces are trimmed.
/** Renders a header, a rule and the rows, each line within `width` when the minimums allow. */
export function renderTextTable(
  columns: readonly TextColumn[],
  rows: readonly TextRow[],
  width: number,
  notesColumn = 0,
): string[] {
  const widths = fitWidths(columns, rows, width);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => padRight(cell, widths[index] ?? 0))
      .join(GAP)
      .trimEnd();
  // Notes keep at least 40 columns, so a narrow terminal still shows them readably.
  const indent = Math.min(
    widths.slice(0, notesColumn).reduce((sum, w) => sum + w + GAP.length, 0),
    Math.max(0, width - 40),
  );
  const out = [
    line(columns.map((column) => column.header)),
    line(widths.map((w) => '-'.repeat(w))),
  ];
  for (const row of rows) {
    const cells = columns.map((_column, index) =>
      wrapText(row.cells[index] ?? '', widths[index] ?? 0),
    );
    const height = Math.max(...cells.map((lines) => lines.length));
    for (let n = 0; n < height; n += 1) out.push(line(cells.map((lines) => lines[n] ?? '')));
    for (const note of row.notes ?? []) {
      for (const text of wrapText(note, width - indent)) out.push(`${' '.repeat(indent)}${text}`);
    }
  }
  return out;
}
