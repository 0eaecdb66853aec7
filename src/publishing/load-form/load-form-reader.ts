import ExcelJS from 'exceljs';
import {
  FULFILLMENT_ACTIONS,
  PRODUCT_CATEGORIES,
  VISIBILITIES,
  type LoadFormEntry,
  type LoadFormProblem,
  type ProductCategory,
} from '../../domain/publishing/publishing-types.js';
import {
  EXAMPLE_MARKER,
  LOAD_FORM_COLUMNS,
  PRODUCT_SHEET,
  type LoadFormColumn,
  type LoadFormField,
} from './load-form-columns.js';
import { DEFAULT_LOAD_FORM_LIMITS, type LoadFormLimits } from './load-form-limits.js';
import { unpackWorkbookZip } from './load-form-zip-guard.js';
import { writeStoredZip } from './stored-zip-writer.js';

export { DEFAULT_LOAD_FORM_LIMITS, type LoadFormLimits } from './load-form-limits.js';

/** The entries of a valid load form, or every problem found in it. */
export type LoadFormParseResult =
  | { readonly ok: true; readonly entries: LoadFormEntry[] }
  | { readonly ok: false; readonly problems: LoadFormProblem[] };

/** A cell read per its column's rule: text, a list, or nothing valid. */
type CellReading = string | readonly string[];

/** One data row with the cells that were read without a problem. */
interface ReadRow {
  readonly row: number;
  readonly values: Partial<Record<LoadFormField, CellReading>>;
  readonly valid: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * Parses an uploaded load form: checks the zip before anything inflates it, then reads the
 * product tab and checks every cell, collecting every problem rather than stopping at the first.
 */
export async function parseLoadForm(
  data: Buffer,
  limits: Partial<LoadFormLimits> = {},
): Promise<LoadFormParseResult> {
  const effective: LoadFormLimits = { ...DEFAULT_LOAD_FORM_LIMITS, ...limits };
  const unpacked = await unpackWorkbookZip(data, effective);
  if (!unpacked.ok) return { ok: false, problems: unpacked.problems };

  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs reads the checked parts, never the upload itself; a plain ArrayBuffer is what its
    // typings ask for.
    const checked = writeStoredZip(withoutNotes(unpacked.parts));
    await workbook.xlsx.load(new Uint8Array(checked).buffer);
  } catch (error) {
    return fail({
      sheet: null,
      row: null,
      column: null,
      message: `the workbook cannot be read (${(error as Error).message}); save it again as .xlsx`,
    });
  }
  const sheet =
    workbook.getWorksheet(PRODUCT_SHEET) ??
    workbook.worksheets.find((s) => s.name.trim().toLowerCase() === PRODUCT_SHEET.toLowerCase());
  if (sheet === undefined) {
    return fail({
      sheet: PRODUCT_SHEET,
      row: null,
      column: null,
      message: `the workbook has no "${PRODUCT_SHEET}" sheet; fill the tab of the downloaded form without renaming it`,
    });
  }
  const located = locateColumns(sheet);
  if (!located.ok) return { ok: false, problems: located.problems };
  const columnAt = located.columns;

  const problems: LoadFormProblem[] = [];
  const at = (row: number | null, column: string | null, message: string) =>
    problems.push({ sheet: sheet.name, row, column, message });

  // Count rows before reading them, so that a huge sheet costs one pass and no per-cell work.
  const dataRows: number[] = [];
  sheet.eachRow((row, number) => {
    if (number > 1 && rowHasContent(row) && !isExampleRow(row, columnAt)) dataRows.push(number);
  });
  if (dataRows.length > effective.maxDataRows) {
    at(
      null,
      null,
      `the sheet has ${dataRows.length} rows of data; at most ${effective.maxDataRows} are accepted`,
    );
    return { ok: false, problems };
  }

  const headerOf = new Map<number, string>();
  for (const [column, number] of columnAt) headerOf.set(number, column.header);
  sheet.eachRow((row, number) => {
    if (number > 1 && isExampleRow(row, columnAt)) return;
    row.eachCell((cell, columnNumber) => {
      if (cell.type === ExcelJS.ValueType.Formula) {
        at(
          number,
          headerOf.get(columnNumber) ?? sheet.getColumn(columnNumber).letter,
          'formulas are not accepted; paste the value',
        );
      }
    });
  });

  const rows: ReadRow[] = dataRows.map((number) => readRow(sheet.getRow(number), columnAt, at));
  if (rows.length === 0 && problems.length === 0) {
    at(null, null, 'the sheet has no rows to publish (the example row is ignored)');
  }
  checkAcrossRows(rows, at);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, entries: rows.map(toEntry) };
}

/** A sheet relationship to its notes (comments) or to the drawing that shows them. */
const NOTE_RELATIONSHIP =
  /<Relationship\b[^>]*\bType=["'][^"']*\/(?:comments|vmlDrawing)["'][^>]*\/>/g;

/**
 * The parts with the sheets' links to notes removed: exceljs finds notes only where Excel puts
 * them (xl/commentsN.xml) and throws on others, such as openpyxl's xl/comments/comment1.xml,
 * while no note carries anything the form reads.
 */
function withoutNotes(parts: ReadonlyMap<string, Buffer>): Map<string, Buffer> {
  const kept = new Map(parts);
  for (const [name, data] of parts) {
    if (/^xl\/worksheets\/_rels\/[^/]+\.rels$/.test(name)) {
      kept.set(name, Buffer.from(data.toString('utf8').replace(NOTE_RELATIONSHIP, ''), 'utf8'));
    }
  }
  return kept;
}

function fail(problem: LoadFormProblem): LoadFormParseResult {
  return { ok: false, problems: [problem] };
}

function normalizeHeader(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Finds each expected column by its header, wherever the seller moved it. */
function locateColumns(
  sheet: ExcelJS.Worksheet,
): { ok: true; columns: Map<LoadFormColumn, number> } | { ok: false; problems: LoadFormProblem[] } {
  const byHeader = new Map<string, number>();
  const header = sheet.getRow(1);
  header.eachCell((cell, number) => {
    const text = normalizeHeader(plainText(cell.value, false) ?? '');
    if (text !== '' && !byHeader.has(text)) byHeader.set(text, number);
  });
  const columns = new Map<LoadFormColumn, number>();
  const problems: LoadFormProblem[] = [];
  LOAD_FORM_COLUMNS.forEach((column, index) => {
    const number = byHeader.get(normalizeHeader(column.header));
    if (number !== undefined) {
      columns.set(column, number);
      return;
    }
    const expected = header.getCell(index + 1);
    const found = plainText(expected.value, false)?.trim() ?? '';
    problems.push({
      sheet: sheet.name,
      row: 1,
      column: column.header,
      message:
        found === ''
          ? `the column "${column.header}" is missing (expected in column ${expected.address.replace(/\d+$/, '')})`
          : `the column "${column.header}" is missing: column ${expected.address.replace(/\d+$/, '')} is headed "${found}"; keep the headers of the downloaded form`,
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, columns };
}

function rowHasContent(row: ExcelJS.Row): boolean {
  let content = false;
  row.eachCell((cell) => {
    if (!content && (plainText(cell.value, false) ?? 'error').trim() !== '') content = true;
  });
  return content;
}

function isExampleRow(row: ExcelJS.Row, columnAt: Map<LoadFormColumn, number>): boolean {
  const title = LOAD_FORM_COLUMNS[0];
  const number = title === undefined ? undefined : columnAt.get(title);
  if (number === undefined) return false;
  return (plainText(row.getCell(number).value, false) ?? '').trimStart().startsWith(EXAMPLE_MARKER);
}

/**
 * A cell's value as text, or undefined for an error value. Hyperlinks give their target in
 * link columns (the displayed text may be anything) and their text elsewhere.
 */
function plainText(value: ExcelJS.CellValue, preferLink: boolean): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // String() gives the shortest form that round-trips, so a version typed as 2.1 reads "2.1".
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('error' in value) return undefined;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) {
    if (preferLink) return value.hyperlink.replace(/^mailto:/i, '');
    const text: unknown = value.text;
    // exceljs hands rich display text of a link over as a rich text object.
    if (typeof text === 'object' && text !== null && 'richText' in text) {
      return plainText(text as ExcelJS.CellRichTextValue, false);
    }
    return String(text ?? '');
  }
  // Formula cells are refused separately; their cached result is only used to test emptiness.
  if ('result' in value) {
    const result = value.result;
    return typeof result === 'object' && result !== null && 'error' in result
      ? undefined
      : plainText(result ?? null, preferLink);
  }
  return '';
}

type Report = (row: number | null, column: string | null, message: string) => void;

function readRow(row: ExcelJS.Row, columnAt: Map<LoadFormColumn, number>, report: Report): ReadRow {
  const values: Partial<Record<LoadFormField, CellReading>> = {};
  let valid = true;
  for (const [column, number] of columnAt) {
    const cell = row.getCell(number);
    const problem = (message: string) => {
      valid = false;
      report(row.number, column.header, message);
    };
    if (cell.type === ExcelJS.ValueType.Formula) {
      valid = false; // already reported with the other formulas
      continue;
    }
    const kind = column.rule.kind;
    const raw = plainText(cell.value, kind === 'url' || kind === 'email-or-url');
    if (raw === undefined) {
      problem('the cell holds an error value; type the value instead');
      continue;
    }
    const reading = readCell(column, raw.replace(/\r\n?/g, '\n').trim(), cell, problem);
    if (reading !== undefined) values[column.field] = reading;
  }
  return { row: row.number, values, valid };
}

/** Reads one cell's text per its column's rule, reporting what is wrong. */
function readCell(
  column: LoadFormColumn,
  text: string,
  cell: ExcelJS.Cell,
  problem: (message: string) => void,
): CellReading | undefined {
  const rule = column.rule;
  if (text === '') {
    if (!column.required) return rule.kind === 'list' || rule.kind === 'account-ids' ? [] : '';
    problem('a value is required');
    return undefined;
  }
  switch (rule.kind) {
    case 'text':
      if (text.length > rule.maxLength) {
        problem(`is ${text.length} characters long; at most ${rule.maxLength} are allowed`);
        return undefined;
      }
      return text;
    case 'enum': {
      const wanted = normalizeHeader(text);
      const match = rule.allowed.find((value) => value.toLowerCase() === wanted);
      if (match === undefined) {
        problem(`"${text}" is not one of ${rule.allowed.map((v) => `"${v}"`).join(', ')}`);
      }
      return match;
    }
    case 'url':
      if (text.length > rule.maxLength || !isHttpsUrl(text)) {
        problem(`"${shorten(text)}" is not an https:// URL`);
        return undefined;
      }
      return text;
    case 'email-or-url': {
      const ok =
        text.length <= rule.maxLength &&
        (text.includes('://') ? isHttpsUrl(text) : EMAIL.test(text));
      if (!ok) problem(`"${shorten(text)}" is neither an e-mail address nor an https:// URL`);
      return ok ? text : undefined;
    }
    case 'list':
      return readList(rule, text, problem);
    case 'account-ids':
      return readAccountIds(rule.maxItems, text, cell, problem);
  }
}

function readList(
  rule: Extract<LoadFormColumn['rule'], { kind: 'list' }>,
  text: string,
  problem: (message: string) => void,
): readonly string[] | undefined {
  const items: string[] = [];
  const seen = new Set<string>();
  let ok = true;
  for (const piece of splitItems(text)) {
    let item = piece;
    if (rule.allowed !== undefined) {
      const match = rule.allowed.find((value) => value.toLowerCase() === piece.toLowerCase());
      if (match === undefined) {
        problem(
          `unknown ${rule.itemName} "${shorten(piece)}"; use one of: ${rule.allowed.join(', ')}`,
        );
        ok = false;
        continue;
      }
      item = match;
    }
    if (item.length > rule.maxItemLength) {
      problem(
        `${rule.itemName} "${shorten(item)}" is ${item.length} characters long; at most ${rule.maxItemLength} are allowed`,
      );
      ok = false;
    }
    // The same item twice is a slip, not a second item.
    if (!seen.has(item.toLowerCase())) {
      seen.add(item.toLowerCase());
      items.push(item);
    }
  }
  if (ok && items.length < rule.minItems) {
    problem(`give at least ${rule.minItems} ${rule.itemName}${rule.minItems > 1 ? 's' : ''}`);
    ok = false;
  }
  if (items.length > rule.maxItems) {
    problem(`has ${items.length} ${rule.itemName} items; at most ${rule.maxItems} are allowed`);
    ok = false;
  }
  return ok ? items : undefined;
}

function readAccountIds(
  maxItems: number,
  text: string,
  cell: ExcelJS.Cell,
  problem: (message: string) => void,
): readonly string[] | undefined {
  if (typeof cell.value === 'number' && !ACCOUNT_ID.test(text)) {
    // A spreadsheet turns a typed id into a number and drops its leading zeros.
    problem(
      `"${text}" was read as a number and is not 12 digits; format the cell as Text and type the id again`,
    );
    return undefined;
  }
  const ids: string[] = [];
  let ok = true;
  for (const piece of text.split(/[;,\n\s]+/).filter((p) => p !== '')) {
    // Ids are often written in groups of four (1111-2222-3333).
    const id = piece.replace(/-/g, '');
    if (!ACCOUNT_ID.test(id)) {
      problem(`"${shorten(piece)}" is not a 12-digit account id`);
      ok = false;
    } else if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  if (ids.length > maxItems) {
    problem(`has ${ids.length} account ids; at most ${maxItems} are allowed`);
    ok = false;
  }
  return ok ? ids : undefined;
}

function splitItems(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '' && !/\s/.test(text);
  } catch {
    return false;
  }
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The rules that span cells or rows: visibility, duplicates, and product-level agreement. */
function checkAcrossRows(rows: readonly ReadRow[], report: Report): void {
  const header = (field: LoadFormField) =>
    LOAD_FORM_COLUMNS.find((column) => column.field === field)?.header ?? field;
  const firstOfProduct = new Map<string, ReadRow>();
  const options = new Map<string, number>();
  for (const row of rows) {
    const { values } = row;
    const tests = values.testAccountIds;
    if (values.visibility === 'public' && Array.isArray(tests) && tests.length > 0) {
      report(
        row.row,
        header('testAccountIds'),
        'test account ids are only for "limited" visibility; leave them empty for "public"',
      );
    }
    const title = values.productTitle;
    if (typeof title !== 'string') continue;
    const { softwareVersion, packageGroupName } = values;
    if (typeof softwareVersion === 'string' && typeof packageGroupName === 'string') {
      const key = JSON.stringify([title, softwareVersion, packageGroupName]);
      const earlier = options.get(key);
      if (earlier !== undefined) {
        report(
          row.row,
          header('packageGroupName'),
          `"${packageGroupName}" is already listed for version ${softwareVersion} of "${title}" on row ${earlier}`,
        );
      } else {
        options.set(key, row.row);
      }
    }
    const first = firstOfProduct.get(title);
    if (first === undefined) {
      firstOfProduct.set(title, row);
      continue;
    }
    for (const column of LOAD_FORM_COLUMNS) {
      if (!column.productLevel) continue;
      const mine = values[column.field];
      const theirs = first.values[column.field];
      if (mine === undefined || theirs === undefined) continue;
      if (comparable(mine) !== comparable(theirs)) {
        report(
          row.row,
          column.header,
          `differs from row ${first.row} of the same product "${title}"; rows of one product must agree`,
        );
      }
    }
  }
}

function comparable(reading: CellReading): string {
  return typeof reading === 'string' ? reading : reading.join('\n');
}

function isProductCategory(value: string): value is ProductCategory {
  return (PRODUCT_CATEGORIES as readonly string[]).includes(value);
}

/** Assembles an entry from a row every cell of which was read without a problem. */
function toEntry(row: ReadRow): LoadFormEntry {
  const text = (field: LoadFormField): string => {
    const value = row.values[field];
    return typeof value === 'string' ? value : '';
  };
  const list = (field: LoadFormField): readonly string[] => {
    const value = row.values[field];
    return Array.isArray(value) ? value : [];
  };
  const fulfillmentAction = FULFILLMENT_ACTIONS.find((a) => a === text('fulfillmentAction'));
  const visibility = VISIBILITIES.find((v) => v === text('visibility'));
  if (!row.valid || fulfillmentAction === undefined || visibility === undefined) {
    throw new Error(`row ${row.row} was assembled despite its problems`);
  }
  return {
    row: row.row,
    productTitle: text('productTitle'),
    shortDescription: text('shortDescription'),
    longDescription: text('longDescription'),
    highlights: list('highlights'),
    categories: list('categories').filter(isProductCategory),
    searchKeywords: list('searchKeywords'),
    vendorName: text('vendorName'),
    supportContact: text('supportContact'),
    eulaUrl: text('eulaUrl'),
    softwareVersion: text('softwareVersion'),
    releaseNotes: text('releaseNotes'),
    packageGroupName: text('packageGroupName'),
    fulfillmentAction,
    visibility,
    testAccountIds: list('testAccountIds'),
    usageInstructions: text('usageInstructions'),
  };
}
