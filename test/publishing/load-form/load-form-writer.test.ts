import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOAD_FORM_COLUMNS } from '../../../src/publishing/load-form/load-form-columns.js';
import { renderLoadForm } from '../../../src/publishing/load-form/load-form-writer.js';
import {
  PACKAGE_GROUPS,
  renderSampleForm,
  runPython,
  temporaryDirectory,
} from './load-form-fixtures.js';

const HEADERS = LOAD_FORM_COLUMNS.map((column) => column.header);

describe('renderLoadForm', () => {
  let form: Buffer;
  let dir: ReturnType<typeof temporaryDirectory>;
  let file: string;

  beforeAll(async () => {
    form = await renderSampleForm();
    dir = temporaryDirectory();
    file = join(dir.path, 'private-image-form.xlsx');
    writeFileSync(file, form);
  });
  afterAll(() => dir.remove());

  it('is the same bytes for the same input', async () => {
    expect((await renderSampleForm()).equals(form)).toBe(true);
  });

  it('opens in LibreOffice, whose Product sheet has the headers', () => {
    const out = join(dir.path, 'csv');
    // The filter's last token (2) exports only the second sheet; a private profile avoids clashes.
    execFileSync(
      '/usr/bin/soffice',
      [
        `-env:UserInstallation=file://${join(dir.path, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2',
        '--outdir',
        out,
        file,
      ],
      { stdio: 'pipe', timeout: 180_000 },
    );
    const [csv] = readdirSync(out);
    expect(csv).toBe('private-image-form-Product.csv');
    const text = readFileSync(join(out, csv ?? ''), 'utf8');
    expect(text.split('\n')[0]).toBe(HEADERS.join(','));
    expect(text.split('\n')[1]).toMatch(/^EXAMPLE/);
  });

  it('reads in openpyxl with its sheets, headers and drop-downs', () => {
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['Product']
print(json.dumps({
  'sheets': [[s.title, s.sheet_state] for s in wb.worksheets],
  'headers': [c.value for c in ws[1]],
  'example': ws['A2'].value,
  'frozen': ws.freeze_panes,
  'note': ws['A1'].comment.text if ws['A1'].comment else None,
  'validations': [[v.type, v.formula1, str(v.sqref)] for v in ws.data_validations.dataValidation],
  'lists': [list(r) for r in wb['Lists'].iter_rows(min_row=1, max_row=4, values_only=True)],
}))
`;
    const read = JSON.parse(runPython(script, [file])) as {
      sheets: [string, string][];
      headers: string[];
      example: string;
      frozen: string;
      note: string | null;
      validations: [string, string, string][];
      lists: (string | null)[][];
    };
    expect(read.sheets).toEqual([
      ['Instructions', 'visible'],
      ['Product', 'visible'],
      ['Lists', 'hidden'],
    ]);
    expect(read.headers).toEqual(HEADERS);
    expect(read.example).toMatch(/^EXAMPLE/);
    expect(read.frozen).toBe('A2');
    expect(read.note).toContain('product name buyers see');
    const lists = read.validations.filter(([type]) => type === 'list');
    expect(lists).toEqual(
      expect.arrayContaining([
        ['list', 'Lists!$A$2:$A$4', 'L3:L502'], // package group name
        ['list', 'Lists!$C$2:$C$14', 'E3:E502'], // categories
        ['list', 'Lists!$D$2:$D$3', 'M3:M502'], // fulfillment action
        ['list', 'Lists!$E$2:$E$3', 'N3:N502'], // visibility
      ]),
    );
    expect(read.validations).toContainEqual(['textLength', '72', 'A3:A502']);
    expect(read.lists[0]).toEqual([
      'Package groups',
      'OS versions',
      'Categories',
      'Fulfillment actions',
      'Visibilities',
    ]);
    expect(read.lists.slice(1).map((row) => row[0])).toEqual(PACKAGE_GROUPS);
  });

  it('explains every column and the fulfillment rules on the Instructions tab', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(form).buffer);
    const sheet = workbook.getWorksheet('Instructions');
    const lines: string[] = [];
    sheet?.eachRow((row) => {
      lines.push(
        (row.values as unknown[]).filter((value) => typeof value === 'string').join(' | '),
      );
    });
    const text = lines.join('\n');
    for (const column of LOAD_FORM_COLUMNS) expect(text).toContain(column.description);
    expect(text).toContain('2026-03-04T05:06:07.000Z');
    expect(text).toMatch(/add to an existing version \| .*must match that version exactly/);
    expect(text).toMatch(/never replaces/);
    expect(text).toMatch(/new version \| .*must all be Successful and scanned/);
    expect(text).toMatch(/limited \| /);
    expect(text).toMatch(/public \| /);
    expect(text).toContain('five business days');
    expect(text).toContain(PACKAGE_GROUPS.join(', '));
  });

  it('says when the seller has no package group to publish yet', async () => {
    const empty = await renderLoadForm({
      packageGroupNames: [],
      osVersions: [],
      generatedAt: new Date('2026-03-04T05:06:07Z'),
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(empty).buffer);
    const values: unknown[] = [];
    workbook.getWorksheet('Instructions')?.eachRow((row) => values.push(row.getCell(1).value));
    expect(values).toContain(
      'None yet: build and scan a package group successfully before filling this form.',
    );
  });
});
