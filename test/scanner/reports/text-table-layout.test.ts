import { describe, expect, it } from 'vitest';
import { renderTextTable, wrapText } from '../../../src/scanner/reports/text-table-layout.js';

describe('wrapText', () => {
  it.each([
    ['short text', 20, ['short text']],
    ['wraps at spaces between words', 12, ['wraps at', 'spaces', 'between', 'words']],
    ['3.0.11-1~deb12u2', 10, ['3.0.11-1~', 'deb12u2']],
    ['abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['', 5, ['']],
  ])('wraps %j at %i', (text, width, lines) => {
    expect(wrapText(text, width)).toEqual(lines);
  });
});

describe('renderTextTable', () => {
  const columns = [
    { header: 'ID' },
    { header: 'NAME', minWidth: 4 },
    { header: 'NOTE', minWidth: 6 },
  ];
  const rows = [
    { cells: ['a1', 'libssl3', 'a long note that must wrap'], notes: ['also: DSA-5532-1'] },
    { cells: ['b2', 'x', 'short'] },
  ];

  it('keeps every line within the width and the columns aligned', () => {
    const lines = renderTextTable(columns, rows, 24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(24);
    expect(lines).toEqual([
      'ID  NAME     NOTE',
      '--  -------  -----------',
      'a1  libssl3  a long note',
      '             that must',
      '             wrap',
      'also: DSA-5532-1',
      'b2  x        short',
    ]);
  });

  it('indents notes under the given column when there is room', () => {
    const lines = renderTextTable(columns, rows, 80, 1);
    expect(lines).toContain('    also: DSA-5532-1');
  });
});
