import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScanReport } from '../../src/scanner/scan/scan-report.js';
import { startHarness, type Harness, type TestAccount } from '../support/goldsmith-harness.js';
import { seedScanReports, type SeededScanReports } from '../support/scan-report-seed.js';

describe('scan report routes', () => {
  let harness: Harness;
  let seller: TestAccount;
  let other: TestAccount;
  let seeded: SeededScanReports;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    seller = await harness.createAccount('Acme Software', ['seller']);
    other = await harness.createAccount('Other Vendor', ['seller', 'buyer']);
    seeded = await seedScanReports(harness, seller, 'acme_scanned_r1');
  });
  afterAll(async () => harness?.stop());

  const get = (account: TestAccount, route: string) =>
    fetch(new URL(route, harness.url), { headers: { authorization: `Bearer ${account.token}` } });
  const buildReport = (query = '') => `/v1/builds/${seeded.scannedBuildId}/scan-report${query}`;
  const jsonReport = async (query: string): Promise<ScanReport> => {
    const response = await get(seller, buildReport(query));
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as ScanReport;
  };

  it('serves the stored report as JSON by default, inline', async () => {
    const response = await get(seller, buildReport());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(await response.json()).toEqual(seeded.report);
  });

  it.each([
    {
      format: 'table',
      mediaType: 'text/plain; charset=utf-8',
      attachment: null,
      check: (body: string) => expect(body).toContain('CVE-2023-5363'),
    },
    {
      format: 'json',
      mediaType: 'application/json',
      attachment: null,
      check: (body: string) => expect(JSON.parse(body)).toEqual(seeded.report),
    },
    {
      format: 'cyclonedx',
      mediaType: 'application/vnd.cyclonedx+json; version=1.6',
      attachment: 'cdx.json',
      check: (body: string) => expect(JSON.parse(body)).toMatchObject({ bomFormat: 'CycloneDX' }),
    },
    {
      format: 'spdx',
      mediaType: 'application/spdx+json',
      attachment: 'spdx.json',
      check: (body: string) => expect(JSON.parse(body)).toMatchObject({ spdxVersion: 'SPDX-2.3' }),
    },
    {
      format: 'sarif',
      mediaType: 'application/sarif+json',
      attachment: 'sarif',
      check: (body: string) => expect(JSON.parse(body)).toMatchObject({ version: '2.1.0' }),
    },
  ])(
    'renders format=$format with its media type',
    async ({ format, mediaType, attachment, check }) => {
      const response = await get(seller, buildReport(`?format=${format}`));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(mediaType);
      expect(response.headers.get('content-disposition')).toBe(
        attachment === null
          ? null
          : `attachment; filename="${seeded.scannedBuildId}.scan.${attachment}"`,
      );
      check(await response.text());
    },
  );

  it('keeps only the asked severities, in any case, findings and policy violations alike', async () => {
    const high = await jsonReport('?severity=HIGH,Critical');
    expect(high.vulnerabilities.map((v) => v.id)).toEqual(['CVE-2023-5363', 'CVE-2021-23337']);
    expect(high.policy.violations.map((v) => v.severity)).toEqual(['critical', 'high']);
    // The gate's verdict on the whole image stays.
    expect(high.gate).toEqual(seeded.report.gate);

    const low = await jsonReport('?severity=low');
    expect(low.vulnerabilities.map((v) => v.id)).toEqual(['CVE-2023-6277']);
    expect(low.policy.violations).toEqual([]);
  });

  it('leaves out vulnerabilities with no fix when ignoreUnfixed is set', async () => {
    const fixed = await jsonReport('?ignoreUnfixed=true');
    expect(fixed.vulnerabilities.map((v) => v.id)).not.toContain('CVE-2023-6277');
    expect(fixed.vulnerabilities).toHaveLength(seeded.report.vulnerabilities.length - 1);
    const all = await jsonReport('?ignoreUnfixed=false');
    expect(all.vulnerabilities).toHaveLength(seeded.report.vulnerabilities.length);
  });

  it('refuses a bad severity or format with VALIDATION_FAILED', async () => {
    for (const query of ['?severity=high,severe', '?severity=', '?format=xml']) {
      const response = await get(seller, buildReport(query));
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('serves an image’s report, as an attachment named by the image id', async () => {
    const route = `/v1/images/${seeded.scannedImageId}/scan-report`;
    const json = await get(seller, route);
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual(seeded.report);

    const sarif = await get(seller, `${route}?format=sarif&severity=critical`);
    expect(sarif.status).toBe(200);
    expect(sarif.headers.get('content-disposition')).toBe(
      `attachment; filename="${seeded.scannedImageId}.scan.sarif"`,
    );
    const log = (await sarif.json()) as { version: string; runs: { results: unknown[] }[] };
    expect(log.version).toBe('2.1.0');
    // One critical finding: the policy violation.
    expect(log.runs[0]!.results).toHaveLength(1);
  });

  it('answers SCAN_REPORT_NOT_FOUND for a build or image that has no report', async () => {
    const build = await get(seller, `/v1/builds/${seeded.unscannedBuildId}/scan-report`);
    expect(build.status).toBe(404);
    const buildError = (await build.json()) as { code: string; message: string };
    expect(buildError.code).toBe('SCAN_REPORT_NOT_FOUND');
    expect(buildError.message).toContain('Building');
    expect(buildError.message).toContain('Scanning stage');

    const image = await get(seller, `/v1/images/${seeded.unscannedImageId}/scan-report`);
    expect(image.status).toBe(404);
    expect(await image.json()).toMatchObject({ code: 'SCAN_REPORT_NOT_FOUND' });
  });

  it('hides another account’s build and image, with 404', async () => {
    for (const [route, code] of [
      [buildReport(), 'BUILD_NOT_FOUND'],
      [`/v1/images/${seeded.scannedImageId}/scan-report`, 'IMAGE_NOT_FOUND'],
      ['/v1/builds/no-such-build/scan-report', 'BUILD_NOT_FOUND'],
    ] as const) {
      const response = await get(other, route);
      expect(response.status, route).toBe(404);
      expect(await response.json()).toMatchObject({ code });
    }
  });

  it('describes both routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(new URL('/openapi.json', harness.url))).json()) as {
      paths: Record<
        string,
        { get?: { tags?: string[]; summary?: string; parameters?: { name: string }[] } }
      >;
    };
    for (const [route, tag] of [
      ['/v1/builds/{buildId}/scan-report', 'builds'],
      ['/v1/images/{imageId}/scan-report', 'images'],
    ] as const) {
      const operation = doc.paths[route]?.get;
      expect(operation?.tags).toEqual([tag]);
      expect(operation?.summary).toMatch(/scan report/);
      expect(operation?.parameters?.map((p) => p.name)).toEqual(
        expect.arrayContaining(['format', 'severity', 'ignoreUnfixed']),
      );
    }
  });
});
