import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  LoadFormEntry,
  LoadFormProblem,
} from '../../../src/domain/publishing/publishing-types.js';
import { parseLoadForm } from '../../../src/publishing/load-form/load-form-reader.js';
import {
  fillForm,
  renderSampleForm,
  runPython,
  validRow,
  writeTemporary,
  type FormRow,
} from './load-form-fixtures.js';

let form: Buffer;
beforeAll(async () => {
  form = await renderSampleForm();
});

async function problemsOf(data: Buffer): Promise<LoadFormProblem[]> {
  const result = await parseLoadForm(data);
  if (result.ok) throw new Error(`expected problems, got ${result.entries.length} entries`);
  return result.problems;
}

async function entriesOf(data: Buffer): Promise<LoadFormEntry[]> {
  const result = await parseLoadForm(data);
  if (!result.ok) throw new Error(`expected entries, got ${JSON.stringify(result.problems)}`);
  return result.entries;
}

const EXPECTED_FIRST: LoadFormEntry = {
  row: 3,
  productTitle: 'Acme Web Server',
  shortDescription: 'A fast web server.',
  longDescription: 'Serves static files and proxies requests.',
  highlights: ['Fast', 'Small'],
  categories: ['Application Servers'],
  searchKeywords: ['web', 'http'],
  vendorName: 'Acme Corp',
  supportContact: 'support@acme.example',
  eulaUrl: 'https://acme.example/eula',
  softwareVersion: '2.1.0',
  releaseNotes: 'First release.',
  packageGroupName: 'acme-web-2.1',
  fulfillmentAction: 'new version',
  visibility: 'limited',
  testAccountIds: ['111122223333'],
  usageInstructions: 'Run acme-web start.',
};

describe('parseLoadForm on well-formed workbooks', () => {
  it('reads back a form rendered, then filled with exceljs, skipping the example row', async () => {
    const filled = await fillForm(form, [
      validRow(),
      validRow({
        softwareVersion: '2.2.0',
        releaseNotes: 'Faster.',
        packageGroupName: 'acme-web-2.2',
        visibility: 'public',
        testAccountIds: '',
      }),
      validRow({
        productTitle: 'Acme DB',
        shortDescription: 'A database.',
        categories: 'databases;\nStorage; Databases',
        searchKeywords: undefined,
        packageGroupName: 'acme-db',
        fulfillmentAction: 'Add To An Existing Version',
        testAccountIds: '1111-2222-3333; 444455556666',
      }),
    ]);
    const entries = await entriesOf(filled);
    expect(entries).toEqual([
      EXPECTED_FIRST,
      {
        ...EXPECTED_FIRST,
        row: 4,
        softwareVersion: '2.2.0',
        releaseNotes: 'Faster.',
        packageGroupName: 'acme-web-2.2',
        visibility: 'public',
        testAccountIds: [],
      },
      {
        ...EXPECTED_FIRST,
        row: 5,
        productTitle: 'Acme DB',
        shortDescription: 'A database.',
        categories: ['Databases', 'Storage'],
        searchKeywords: [],
        packageGroupName: 'acme-db',
        fulfillmentAction: 'add to an existing version',
        testAccountIds: ['111122223333', '444455556666'],
      },
    ]);
  });

  it('accepts a form filled by openpyxl', async () => {
    const script = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['Product']
row = ['Acme Web Server', 'A fast web server.', 'Serves static files and proxies requests.',
       'Fast\\nSmall', 'Application Servers', 'web; http', 'Acme Corp', 'support@acme.example',
       'https://acme.example/eula', 2.1, 'First release.', 'acme-web-2.1', 'new version',
       'limited', '111122223333', 'Run acme-web start.']
for column, value in enumerate(row, start=1):
    ws.cell(row=3, column=column, value=value)
wb.save(sys.argv[1])
`;
    const file = writeTemporary('filled.xlsx', form);
    try {
      runPython(script, [file.path]);
      const entries = await entriesOf(readFileSync(file.path));
      expect(entries).toEqual([{ ...EXPECTED_FIRST, softwareVersion: '2.1' }]);
    } finally {
      file.remove();
    }
  });

  it('accepts a filled form re-saved by LibreOffice', async () => {
    const filled = writeTemporary('filled.xlsx', await fillForm(form, [validRow()]));
    try {
      const out = join(filled.path, '..', 'out');
      execFileSync(
        '/usr/bin/soffice',
        [
          `-env:UserInstallation=file://${join(filled.path, '..', 'lo-profile')}`,
          '--headless',
          '--convert-to',
          'xlsx:Calc MS Excel 2007 XML',
          '--outdir',
          out,
          filled.path,
        ],
        { stdio: 'pipe', timeout: 180_000 },
      );
      expect(await entriesOf(readFileSync(join(out, 'filled.xlsx')))).toEqual([EXPECTED_FIRST]);
    } finally {
      filled.remove();
    }
  });

  it('turns numbers, rich text and hyperlinks into text', async () => {
    const filled = await fillForm(form, [
      validRow({
        softwareVersion: 2.1,
        vendorName: { richText: [{ text: 'Acme ' }, { font: { bold: true }, text: 'Corp' }] },
        eulaUrl: { text: 'our EULA', hyperlink: 'https://acme.example/eula' },
        supportContact: { text: 'Mail us', hyperlink: 'mailto:support@acme.example' },
        testAccountIds: 111122223333,
      }),
    ]);
    expect(await entriesOf(filled)).toEqual([{ ...EXPECTED_FIRST, softwareVersion: '2.1' }]);
  });
});

describe('parseLoadForm refuses', () => {
  it('a form with no rows but the example', async () => {
    expect(await problemsOf(form)).toEqual([
      {
        sheet: 'Product',
        row: null,
        column: null,
        message: 'the sheet has no rows to publish (the example row is ignored)',
      },
    ]);
  });

  it('a workbook without the Product sheet', async () => {
    const renamed = await fillForm(form, [validRow()], (workbook) => {
      const sheet = workbook.getWorksheet('Product');
      if (sheet !== undefined) sheet.name = 'Products of mine';
    });
    expect(await problemsOf(renamed)).toEqual([
      expect.objectContaining({ sheet: 'Product', row: null, column: null }),
    ]);
  });

  it('a renamed header, by column', async () => {
    const renamed = await fillForm(form, [validRow()], (workbook) => {
      const sheet = workbook.getWorksheet('Product');
      if (sheet !== undefined) sheet.getCell('J1').value = 'Version';
    });
    expect(await problemsOf(renamed)).toEqual([
      {
        sheet: 'Product',
        row: 1,
        column: 'Software version',
        message:
          'the column "Software version" is missing: column J is headed "Version"; keep the headers of the downloaded form',
      },
    ]);
  });

  it('formula cells, wherever they are', async () => {
    const filled = await fillForm(form, [
      validRow({ vendorName: { formula: 'CONCAT("Acme"," Corp")', result: 'Acme Corp' } }),
      validRow({ packageGroupName: 'acme-web-2.2' }),
    ]);
    expect(await problemsOf(filled)).toEqual([
      {
        sheet: 'Product',
        row: 3,
        column: 'Vendor name',
        message: 'formulas are not accepted; paste the value',
      },
    ]);
  });

  it('a huge sheet, saying how many rows it has', async () => {
    const rows = Array.from({ length: 501 }, (_, index) =>
      validRow({ softwareVersion: `1.${index}` }),
    );
    expect(await problemsOf(await fillForm(form, rows))).toEqual([
      {
        sheet: 'Product',
        row: null,
        column: null,
        message: 'the sheet has 501 rows of data; at most 500 are accepted',
      },
    ]);
  });

  const long = (length: number) => 'x'.repeat(length);
  const cases: [string, FormRow, string, string | RegExp][] = [
    ['a missing title', { productTitle: '' }, 'Product title', 'a value is required'],
    [
      'a long title',
      { productTitle: long(73) },
      'Product title',
      'is 73 characters long; at most 72 are allowed',
    ],
    [
      'a long short description',
      { shortDescription: long(201) },
      'Short description',
      'is 201 characters long; at most 200 are allowed',
    ],
    [
      'a long description',
      { longDescription: long(2001) },
      'Long description',
      'is 2001 characters long; at most 2000 are allowed',
    ],
    ['no highlights', { highlights: ' ; ' }, 'Highlights', 'give at least 1 highlight'],
    [
      'four highlights',
      { highlights: 'a;b;c;d' },
      'Highlights',
      'has 4 highlight items; at most 3 are allowed',
    ],
    ['a long highlight', { highlights: long(251) }, 'Highlights', /is 251 characters long/],
    [
      'an unknown category',
      { categories: 'Databases; Gardening' },
      'Categories',
      /^unknown category "Gardening"; use one of: Application Development, /,
    ],
    [
      'four categories',
      { categories: 'Databases; Storage; Security; DevOps' },
      'Categories',
      'has 4 category items; at most 3 are allowed',
    ],
    [
      'eleven keywords',
      { searchKeywords: 'a;b;c;d;e;f;g;h;i;j;k' },
      'Search keywords',
      'has 11 keyword items; at most 10 are allowed',
    ],
    ['a missing vendor', { vendorName: '' }, 'Vendor name', 'a value is required'],
    [
      'a bad support contact',
      { supportContact: 'call us' },
      'Support contact',
      '"call us" is neither an e-mail address nor an https:// URL',
    ],
    [
      'a plain http support URL',
      { supportContact: 'http://acme.example/help' },
      'Support contact',
      /neither an e-mail address nor an https:\/\/ URL/,
    ],
    [
      'a bad EULA URL',
      { eulaUrl: 'acme.example/eula' },
      'EULA URL',
      '"acme.example/eula" is not an https:// URL',
    ],
    ['an ftp EULA URL', { eulaUrl: 'ftp://acme.example/eula' }, 'EULA URL', /not an https/],
    [
      'a long version',
      { softwareVersion: long(51) },
      'Software version',
      'is 51 characters long; at most 50 are allowed',
    ],
    ['missing release notes', { releaseNotes: '' }, 'Release notes', 'a value is required'],
    ['no package group', { packageGroupName: '' }, 'Package group name', 'a value is required'],
    [
      'an unknown fulfillment action',
      { fulfillmentAction: 'replace' },
      'Fulfillment action',
      '"replace" is not one of "add to an existing version", "new version"',
    ],
    [
      'an unknown visibility',
      { visibility: 'private' },
      'Visibility',
      '"private" is not one of "limited", "public"',
    ],
    [
      'a bad account id',
      { testAccountIds: '111122223333; 1234' },
      'Test account ids',
      '"1234" is not a 12-digit account id',
    ],
    [
      'an account id that lost its leading zeros',
      { testAccountIds: 11122223333 },
      'Test account ids',
      /was read as a number and is not 12 digits; format the cell as Text/,
    ],
    [
      'test accounts with public visibility',
      { visibility: 'public' },
      'Test account ids',
      'test account ids are only for "limited" visibility; leave them empty for "public"',
    ],
    [
      'an error value',
      { releaseNotes: { error: '#N/A' } },
      'Release notes',
      'the cell holds an error value; type the value instead',
    ],
    [
      'missing usage instructions',
      { usageInstructions: '' },
      'Usage instructions',
      'a value is required',
    ],
  ];
  it.each(cases)('%s', async (_name, overrides, column, message) => {
    const problems = await problemsOf(await fillForm(form, [validRow(overrides)]));
    expect(problems).toEqual([
      { sheet: 'Product', row: 3, column, message: expect.stringMatching(toRegExp(message)) },
    ]);
  });

  it('rows of one product that disagree, and a package group listed twice', async () => {
    const filled = await fillForm(form, [
      validRow(),
      validRow({ softwareVersion: '2.2.0', vendorName: 'Acme Inc', categories: 'Databases' }),
      validRow({ releaseNotes: 'Again.' }),
    ]);
    expect(await problemsOf(filled)).toEqual([
      {
        sheet: 'Product',
        row: 4,
        column: 'Categories',
        message:
          'differs from row 3 of the same product "Acme Web Server"; rows of one product must agree',
      },
      {
        sheet: 'Product',
        row: 4,
        column: 'Vendor name',
        message:
          'differs from row 3 of the same product "Acme Web Server"; rows of one product must agree',
      },
      {
        sheet: 'Product',
        row: 5,
        column: 'Package group name',
        message: '"acme-web-2.1" is already listed for version 2.1.0 of "Acme Web Server" on row 3',
      },
    ]);
  });

  it('with every problem of every row, not only the first', async () => {
    const filled = await fillForm(form, [
      validRow({ eulaUrl: 'nope', visibility: 'everyone' }),
      validRow({ productTitle: 'Other', categories: 'Nope' }),
    ]);
    const problems = await problemsOf(filled);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'EULA URL'],
      [3, 'Visibility'],
      [4, 'Categories'],
    ]);
  });

  it('nothing for an example row left with bad values', async () => {
    const filled = await fillForm(form, [validRow()], (workbook) => {
      const sheet = workbook.getWorksheet('Product');
      if (sheet === undefined) return;
      sheet.getCell('I2').value = 'not a url';
      sheet.getCell('J2').value = { formula: '1+1', result: 2 };
    });
    expect(await entriesOf(filled)).toEqual([EXPECTED_FIRST]);
  });
});

function toRegExp(message: string | RegExp): RegExp {
  return typeof message === 'string'
    ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    : message;
}
