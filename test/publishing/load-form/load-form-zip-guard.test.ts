import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadFormProblem } from '../../../src/domain/publishing/publishing-types.js';
import { parseLoadForm } from '../../../src/publishing/load-form/load-form-reader.js';
import { fillForm, pythonFile, renderSampleForm, validRow } from './load-form-fixtures.js';

/** Python that edits the zip given as FORM (hex) and writes the result to argv[1]. */
function editZip(form: Buffer, body: string): Buffer {
  return pythonFile(`
import io, struct, sys, zipfile
FORM = bytes.fromhex('${form.toString('hex')}')
${body}
`);
}

async function problemsOf(data: Buffer): Promise<LoadFormProblem[]> {
  const result = await parseLoadForm(data);
  if (result.ok) throw new Error(`expected problems, got ${result.entries.length} entries`);
  return result.problems;
}

const fileProblem = (message: string | RegExp): LoadFormProblem => ({
  sheet: null,
  row: null,
  column: null,
  message: typeof message === 'string' ? message : (expect.stringMatching(message) as string),
});

describe('parseLoadForm refuses unsafe or foreign files before reading cells', () => {
  let filled: Buffer;
  beforeAll(async () => {
    filled = await fillForm(await renderSampleForm(), [validRow()]);
  });

  it('accepts the filled form these cases start from', async () => {
    expect((await parseLoadForm(filled)).ok).toBe(true);
  });

  it('a file that is not a zip', async () => {
    expect(await problemsOf(Buffer.from('Product title,Short description\n'))).toEqual([
      fileProblem('not an Excel workbook (.xlsx): the file is not a zip archive'),
    ]);
  });

  it('an old .xls or password-protected workbook', async () => {
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(512)]);
    expect(await problemsOf(ole2)).toEqual([
      fileProblem(/^not an Excel workbook \(\.xlsx\): this is an old \.xls workbook/),
    ]);
  });

  it('a plain zip renamed to .xlsx', async () => {
    const zip = pythonFile(`
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('readme.txt', 'hello')
`);
    expect(await problemsOf(zip)).toEqual([
      fileProblem(
        'not an Excel workbook (.xlsx): the zip has no [Content_Types].xml and no xl/workbook.xml; was another file renamed to .xlsx?',
      ),
    ]);
  });

  it('a zip bomb, for its declared size, before decompressing it', async () => {
    // 110 MiB of zeros deflate to about 110 KiB: the upload itself is small.
    const bomb = pythonFile(`
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<Types/>')
    z.writestr('xl/workbook.xml', '<workbook/>')
    with z.open('xl/worksheets/sheet1.xml', 'w') as f:
        chunk = bytes(1024 * 1024)
        for _ in range(110):
            f.write(chunk)
`);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await problemsOf(bomb)).toEqual([
      fileProblem(
        'xl/worksheets/sheet1.xml declares 110 MiB uncompressed, over the 10 MiB limit for one part; refused before decompression',
      ),
      fileProblem(
        "the workbook's parts declare more than 20 MiB uncompressed in total; refused before decompression",
      ),
    ]);
  });

  it('a part whose compression ratio marks a bomb, though under the size limits', async () => {
    const bomb = pythonFile(`
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<Types/>')
    z.writestr('xl/workbook.xml', '<workbook/>')
    z.writestr('xl/sharedStrings.xml', bytes(8 * 1024 * 1024))
`);
    expect(await problemsOf(bomb)).toEqual([
      fileProblem(
        /^xl\/sharedStrings\.xml declares a compression ratio over 100 \(.* expanding to 8 MiB\), which marks a zip bomb; refused before decompression$/,
      ),
    ]);
  });

  it('a part that inflates past the size its header declares', async () => {
    // The sizes in both headers are rewritten to 1000 bytes; 30 MiB of zeros hide behind them.
    const liar = pythonFile(`
import struct, sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<Types/>')
    z.writestr('xl/workbook.xml', '<workbook/>')
    z.writestr('xl/worksheets/sheet1.xml', bytes(30 * 1024 * 1024))
with zipfile.ZipFile(path) as z:
    info = z.getinfo('xl/worksheets/sheet1.xml')
data = bytearray(open(path, 'rb').read())
struct.pack_into('<I', data, info.header_offset + 22, 1000)
at = 0
while True:
    at = data.find(b'PK\\x01\\x02', at)
    if at < 0: break
    name_length = struct.unpack_from('<H', data, at + 28)[0]
    if data[at + 46:at + 46 + name_length] == b'xl/worksheets/sheet1.xml':
        struct.pack_into('<I', data, at + 24, 1000)
    at += 4
open(path, 'wb').write(data)
`);
    expect(await problemsOf(liar)).toEqual([
      fileProblem(
        /^xl\/worksheets\/sheet1\.xml is damaged or holds more data than its zip header declares \(too many bytes/,
      ),
    ]);
  });

  it('a macro-enabled workbook holding vbaProject.bin', async () => {
    const xlsm = editZip(
      filled,
      `
with zipfile.ZipFile(io.BytesIO(FORM)) as source, zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for item in source.infolist():
        data = source.read(item)
        if item.filename == '[Content_Types].xml':
            data = data.replace(b'spreadsheetml.sheet.main+xml', b'ms-excel.sheet.macroEnabled.main+xml')
        z.writestr(item, data)
    z.writestr('xl/vbaProject.bin', b'\\xd0\\xcf\\x11\\xe0 macro')
`,
    );
    expect(await problemsOf(xlsm)).toEqual([
      fileProblem('the workbook contains macros (vbaProject.bin); save it as .xlsx'),
    ]);
  });

  it('a workbook declaring a macro-enabled content type', async () => {
    const xlsm = editZip(
      filled,
      `
with zipfile.ZipFile(io.BytesIO(FORM)) as source, zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for item in source.infolist():
        data = source.read(item)
        if item.filename == '[Content_Types].xml':
            data = data.replace(b'spreadsheetml.sheet.main+xml', b'ms-excel.sheet.macroEnabled.main+xml')
        z.writestr(item, data)
`,
    );
    expect(await problemsOf(xlsm)).toEqual([
      fileProblem('the workbook is macro-enabled (.xlsm); save it as .xlsx'),
    ]);
  });

  it('an encrypted member', async () => {
    // Sets the "encrypted" flag (APPNOTE 4.4.4 bit 0) of xl/workbook.xml in both headers.
    const encrypted = editZip(
      filled,
      `
data = bytearray(FORM)
with zipfile.ZipFile(io.BytesIO(FORM)) as z:
    info = z.getinfo('xl/workbook.xml')
data[info.header_offset + 6] |= 1
at = 0
while True:
    at = data.find(b'PK\\x01\\x02', at)
    if at < 0: break
    name_length = struct.unpack_from('<H', data, at + 28)[0]
    if data[at + 46:at + 46 + name_length] == b'xl/workbook.xml':
        data[at + 8] |= 1
    at += 4
open(sys.argv[1], 'wb').write(data)
`,
    );
    expect(await problemsOf(encrypted)).toEqual([
      fileProblem('xl/workbook.xml is encrypted; save the workbook without a password'),
    ]);
  });

  it('an upload, a zip or a total over the limits given', async () => {
    const refused = async (limits: Parameters<typeof parseLoadForm>[1]) => {
      const result = await parseLoadForm(filled, limits);
      return result.ok ? [] : result.problems.map((p) => p.message);
    };
    expect(await refused({ maxUploadBytes: 1000 })).toEqual([
      expect.stringMatching(/^the file is .* KiB; at most 1000 bytes is accepted$/),
    ]);
    expect(await refused({ maxEntries: 3 })).toEqual([
      expect.stringMatching(/^the workbook holds \d+ zip entries; at most 3 are accepted$/),
    ]);
    expect(await refused({ maxUncompressedBytes: 2000 })).toEqual([
      "the workbook's parts declare more than 2000 bytes uncompressed in total; refused before decompression",
    ]);
    expect(await refused({ maxEntryBytes: 2000 })).toContainEqual(
      expect.stringMatching(
        /over the 2000 bytes limit for one part; refused before decompression$/,
      ),
    );
  });
});
