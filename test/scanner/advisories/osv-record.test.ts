import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  normalizeOsvTimestamp,
  parseOsvRecord,
} from '../../../src/scanner/advisories/osv-record.js';
import { readOsvEntries } from '../../../src/scanner/advisories/osv-sources.js';

const SHARED = path.resolve(import.meta.dirname, '../../../../shared');
const VULNDATA = path.join(SHARED, 'vulndata');

/** Every `step`-th record of a JSON Lines file, decoded. */
async function sample(file: string, step: number): Promise<unknown[]> {
  const values: unknown[] = [];
  let i = 0;
  for await (const entry of readOsvEntries(path.join(VULNDATA, file))) {
    if (i++ % step === 0) values.push(JSON.parse(entry.text));
  }
  return values;
}

const VALID = {
  schema_version: '1.6.0',
  id: 'DSA-5532-1',
  modified: '2024-01-09T20:29:29.298606Z',
  published: '2023-10-24T00:00:00Z',
  related: ['CVE-2023-5363'],
  summary: 'openssl - security update',
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'openssl', purl: 'pkg:deb/debian/openssl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }],
      versions: ['3.0.11-1~deb12u1'],
      ecosystem_specific: { urgency: 'high' },
    },
  ],
};

describe('OSV records', () => {
  let validate: ValidateFunction;

  beforeAll(() => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormatsModule.default(ajv);
    const schema = JSON.parse(
      readFileSync(path.join(SHARED, 'schemas', 'osv.schema.json'), 'utf8'),
    ) as object;
    validate = ajv.compile(schema);
  });

  it('parses a sample of real records that the OSV schema accepts', async () => {
    const records = [
      ...(await sample('osv-debian-2025-02-12.jsonl.xz', 40)),
      ...(await sample('debian-bookworm-security-changelog.osv.jsonl.xz', 100)),
      ...(await sample('debian-bullseye-security-changelog.osv.jsonl.xz', 100)),
      ...(await sample('debian-trixie-security-changelog.osv.jsonl.xz', 100)),
    ];
    expect(records.length).toBeGreaterThan(1000);
    for (const value of records) {
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
      const parsed = parseOsvRecord(value);
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    }
  }, 60_000);

  it('types every field the scanner reads', () => {
    const parsed = parseOsvRecord({
      ...VALID,
      withdrawn: '2024-02-01T00:00:00Z',
      aliases: ['CVE-2023-0001'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      database_specific: { source: 'x' },
    });
    expect(parsed).toEqual({
      ok: true,
      record: {
        id: 'DSA-5532-1',
        modified: '2024-01-09T20:29:29.298606Z',
        modifiedKey: '2024-01-09T20:29:29.298606Z',
        published: '2023-10-24T00:00:00Z',
        withdrawn: '2024-02-01T00:00:00Z',
        aliases: ['CVE-2023-0001'],
        related: ['CVE-2023-5363'],
        upstream: [],
        summary: 'openssl - security update',
        details: undefined,
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: 'openssl', purl: 'pkg:deb/debian/openssl' },
            severity: [],
            ranges: [
              {
                type: 'ECOSYSTEM',
                repo: undefined,
                events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }],
              },
            ],
            versions: ['3.0.11-1~deb12u1'],
            ecosystemSpecific: { urgency: 'high' },
            databaseSpecific: undefined,
          },
        ],
        databaseSpecific: { source: 'x' },
      },
    });
  });

  it('drops an affected entry without a package and keeps the record', () => {
    const parsed = parseOsvRecord({
      ...VALID,
      affected: [
        { ranges: [{ type: 'GIT', repo: 'https://x', events: [{ introduced: '0' }] }] },
        ...VALID.affected,
      ],
    });
    expect(parsed.ok && parsed.record.affected.map((a) => a.package.name)).toEqual(['openssl']);
  });

  const range = (events: unknown[], type = 'ECOSYSTEM', extra: object = {}) => ({
    ...VALID,
    affected: [{ package: VALID.affected[0]!.package, ranges: [{ type, events, ...extra }] }],
  });

  // Each is invalid by the schema too, checked below, so the parser is no stricter than OSV.
  const invalid: [string, unknown, RegExp][] = [
    ['not an object', [], /JSON object/],
    ['no id', { ...VALID, id: undefined }, /record\.id must be a string/],
    ['no modified', { ...VALID, modified: undefined }, /modified must be a string/],
    ['modified not a timestamp', { ...VALID, modified: '2024-01-09' }, /not RFC 3339/],
    ['aliases not strings', { ...VALID, aliases: [1] }, /aliases\[0\] must be a string/],
    [
      'unknown severity type',
      { ...VALID, severity: [{ type: 'CVSS_V9', score: 'x' }] },
      /CVSS_V9 is unknown/,
    ],
    [
      'package without name',
      { ...VALID, affected: [{ package: { ecosystem: 'Debian:12' } }] },
      /package\.name must be a string/,
    ],
    ['unknown range type', range([{ introduced: '0' }], 'SEMVER2'), /SEMVER2 is unknown/],
    ['no introduced event', range([{ fixed: '1.0' }]), /no introduced event/],
    ['event of two kinds', range([{ introduced: '0', fixed: '1' }]), /exactly one of/],
    [
      'fixed and last_affected',
      range([{ introduced: '0' }, { fixed: '1' }, { last_affected: '2' }]),
      /mixes fixed and last_affected/,
    ],
    ['GIT range without repo', range([{ introduced: '0' }], 'GIT'), /GIT without repo/],
    [
      'GIT range with short hashes',
      range([{ introduced: 'abc123' }], 'GIT', { repo: 'https://x' }),
      /full commit hash/,
    ],
  ];

  it.each(invalid)('rejects a record with %s, with a reason', (_, value, reason) => {
    expect(validate(value)).toBe(false);
    const parsed = parseOsvRecord(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('names the id of a rejected record when it has one', () => {
    expect(parseOsvRecord({ id: 'X-1', modified: 'yesterday' })).toMatchObject({
      ok: false,
      id: 'X-1',
    });
  });

  it.each([
    ['2024-01-09T20:29:29Z', '2024-01-09T20:29:29.000000Z'],
    ['2024-01-09T20:29:29.5Z', '2024-01-09T20:29:29.500000Z'],
    ['2024-01-09T20:29:29.123456789Z', '2024-01-09T20:29:29.123456Z'],
    ['2024-01-09T22:29:29.1+02:00', '2024-01-09T20:29:29.100000Z'],
    ['2024-01-09t20:29:29z', '2024-01-09T20:29:29.000000Z'],
  ])('normalizes the timestamp %s to %s', (input, expected) => {
    expect(normalizeOsvTimestamp(input)).toBe(expected);
  });

  it('orders normalized timestamps as text the way they order in time', () => {
    const a = normalizeOsvTimestamp('2024-01-09T20:29:29Z')!;
    const b = normalizeOsvTimestamp('2024-01-09T20:29:29.5Z')!;
    expect(a < b).toBe(true);
    expect(normalizeOsvTimestamp('2024-13-45T99:00:00Z')).toBeUndefined();
    expect(normalizeOsvTimestamp('2024-01-09 20:29:29Z')).toBeUndefined();
  });
});
