import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import {
  LOAD_FORM_COLUMNS,
  type LoadFormField,
} from '../../../src/publishing/load-form/load-form-columns.js';
import { renderLoadForm } from '../../../src/publishing/load-form/load-form-writer.js';

/** The system Python, which has openpyxl (not the pyenv one on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** The seller's successful package groups the sample form offers. */
export const PACKAGE_GROUPS = ['acme-web-2.1', 'acme-web-2.2', 'acme-db'];

/** A form as a seller downloads it. */
export function renderSampleForm(): Promise<Buffer> {
  return renderLoadForm({
    packageGroupNames: PACKAGE_GROUPS,
    osVersions: ['debian-12', 'ubuntu-24.04'],
    generatedAt: new Date('2026-03-04T05:06:07Z'),
  });
}

/** A cell value as a seller may leave it: text, a number, or what exceljs writes. */
export type FormValue = ExcelJS.CellValue;
/** One product row, keyed by field. */
export type FormRow = Partial<Record<LoadFormField, FormValue>>;

/** A complete, valid row; tests override what they are about. */
export function validRow(overrides: FormRow = {}): FormRow {
  return {
    productTitle: 'Acme Web Server',
    shortDescription: 'A fast web server.',
    longDescription: 'Serves static files and proxies requests.',
    highlights: 'Fast; Small',
    categories: 'Application Servers',
    searchKeywords: 'web; http',
    vendorName: 'Acme Corp',
    supportContact: 'support@acme.example',
    eulaUrl: 'https://acme.example/eula',
    softwareVersion: '2.1.0',
    releaseNotes: 'First release.',
    packageGroupName: 'acme-web-2.1',
    fulfillmentAction: 'new version',
    visibility: 'limited',
    testAccountIds: '111122223333',
    usageInstructions: 'Run acme-web start.',
    ...overrides,
  };
}

/** Writes rows into the downloaded form from row 3 on, as a seller would, with exceljs. */
export async function fillForm(
  form: Buffer,
  rows: readonly FormRow[],
  edit?: (workbook: ExcelJS.Workbook) => void,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(form).buffer);
  const sheet = workbook.getWorksheet('Product');
  if (sheet === undefined) throw new Error('the form has no Product sheet');
  rows.forEach((values, index) => {
    const row = sheet.getRow(3 + index);
    LOAD_FORM_COLUMNS.forEach((column, columnIndex) => {
      const value = values[column.field];
      if (value !== undefined) row.getCell(columnIndex + 1).value = value;
    });
  });
  edit?.(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A fresh temporary directory, removed by the returned function. */
export function temporaryDirectory(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'goldsmith-load-form-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs a Python script with the system interpreter and returns its standard output. */
export function runPython(script: string, args: readonly string[]): string {
  return execFileSync(SYSTEM_PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
}

/** Runs a Python script that builds a file at the path it is given, and returns the file. */
export function pythonFile(script: string): Buffer {
  const dir = temporaryDirectory();
  try {
    const file = join(dir.path, 'out');
    runPython(script, [file]);
    return readFileSync(file);
  } finally {
    dir.remove();
  }
}

/** Writes a buffer to a temporary file for an external tool; returns the path and cleanup. */
export function writeTemporary(name: string, data: Buffer): { path: string; remove: () => void } {
  const dir = temporaryDirectory();
  const path = join(dir.path, name);
  writeFileSync(path, data);
  return { path, remove: dir.remove };
}
