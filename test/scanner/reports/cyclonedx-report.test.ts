import { describe, expect, it } from 'vitest';
import {
  renderCycloneDxReport,
  toCycloneDxReport,
} from '../../../src/scanner/reports/cyclonedx-report.js';
import { sampleReport } from './report-fixture.js';
import { cycloneDxValidator } from './schema-validators.js';

describe('toCycloneDxReport', () => {
  const bom = toCycloneDxReport(sampleReport);
  const validate = cycloneDxValidator();
  const byId = (id: string) => bom.vulnerabilities.find((v) => v.id === id);

  it('validates against the official CycloneDX 1.6 schema', () => {
    expect(validate(JSON.parse(renderCycloneDxReport(sampleReport)))).toEqual([]);
  });

  it.each([
    ['a vulnerability with a field CycloneDX lacks', (v: object) => ({ ...v, fixed: '1.0' })],
    ['an affects entry without a ref', (v: object) => ({ ...v, affects: [{ versions: [] }] })],
    [
      'a rating with a severity CycloneDX lacks',
      (v: object) => ({ ...v, ratings: [{ severity: 'moderate' }] }),
    ],
  ])('fails validation for %s', (_what, breakIt) => {
    const [first, ...rest] = bom.vulnerabilities;
    const broken = JSON.parse(
      JSON.stringify({ ...bom, vulnerabilities: [breakIt(first ?? {}), ...rest] }),
    ) as unknown;
    expect(validate(broken)).not.toEqual([]);
  });

  it('has the components of the SBOM writer, with the layer that brought each', () => {
    expect(bom.metadata.component).toMatchObject({
      type: 'container',
      name: 'img-0f3c2a9d81b7e4c55',
      version: sampleReport.target.manifestDigest,
    });
    expect(bom.metadata.tools.components[0]).toEqual({
      type: 'application',
      name: 'goldsmith',
      version: '0.1.0',
    });
    expect(bom.components.map((c) => c.name)).toEqual([
      'debian',
      'libssl3',
      'libtiff6',
      '@acme/vendor-agent',
      'lodash',
      'semver',
    ]);
    expect(bom.components.find((c) => c.name === 'libssl3')?.properties).toEqual([
      { name: 'goldsmith:deb:source_name', value: 'openssl' },
      { name: 'goldsmith:deb:source_version', value: '3.0.9-1' },
      { name: 'goldsmith:layer', value: 'base image' },
    ]);
  });

  it('describes a vulnerability with its sources, rating, fix and affected component', () => {
    const openssl = byId('CVE-2023-5363');
    const component = bom.components.find((c) => c.name === 'libssl3');
    expect(openssl).toMatchObject({
      id: 'CVE-2023-5363',
      source: { name: 'OSV', url: 'https://osv.dev/vulnerability/CVE-2023-5363' },
      references: [
        { id: 'DSA-5532-1', source: { url: 'https://osv.dev/vulnerability/DSA-5532-1' } },
      ],
      ratings: [
        {
          score: 7.5,
          severity: 'high',
          method: 'CVSSv31',
          vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
        },
      ],
      description: 'Incorrect cipher key and IV length processing',
      recommendation:
        'Upgrade libssl3 (source package openssl) from 3.0.9-1 to 3.0.11-1~deb12u2 or later.',
      affects: [
        { ref: component?.['bom-ref'], versions: [{ version: '3.0.9-1', status: 'affected' }] },
      ],
      updated: '2024-02-01T17:15:08Z',
    });
    expect(openssl?.analysis).toBeUndefined();
    expect(openssl?.properties).toEqual(
      expect.arrayContaining([
        { name: 'goldsmith:source_package', value: 'openssl' },
        { name: 'goldsmith:installed_version', value: '3.0.9-1' },
        { name: 'goldsmith:fixed_version', value: '3.0.11-1~deb12u2' },
        { name: 'goldsmith:layer', value: 'base image' },
      ]),
    );
  });

  it('marks what the gate found not affected, with the statement as detail', () => {
    expect(byId('CVE-2022-25883')).toMatchObject({
      analysis: {
        state: 'not_affected',
        justification: 'code_not_reachable',
        detail: 'vulnerable_code_not_in_execute_path: the agent never parses ranges from input',
      },
      affects: [{ versions: [{ version: '7.5.1', status: 'unaffected' }] }],
    });
  });

  it('keeps a not-affected statement that names no OpenVEX justification as detail only', () => {
    const report = {
      ...sampleReport,
      vulnerabilities: sampleReport.vulnerabilities.map((v) =>
        v.id === 'CVE-2022-25883'
          ? {
              ...v,
              gate: {
                blocking: false as const,
                reason: 'not-affected' as const,
                detail: 'vendor statement 2026-11-01',
              },
            }
          : v,
      ),
    };
    const bom = toCycloneDxReport(report);
    expect(bom.vulnerabilities.find((v) => v.id === 'CVE-2022-25883')?.analysis).toEqual({
      state: 'not_affected',
      detail: 'vendor statement 2026-11-01',
    });
    expect(validate(JSON.parse(JSON.stringify(bom)))).toEqual([]);
  });

  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N', 'CVSSv4'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 'CVSSv3'],
  ])('names the rating method of %s %s', (vector, method) => {
    const [first] = sampleReport.vulnerabilities;
    const report = {
      ...sampleReport,
      vulnerabilities: first === undefined ? [] : [{ ...first, vector }],
    };
    expect(toCycloneDxReport(report).vulnerabilities[0]?.ratings[0]?.method).toBe(method);
  });

  it('rates a vulnerability without a vector by its severity alone', () => {
    expect(byId('CVE-2023-6277')).toMatchObject({
      ratings: [{ severity: 'low', method: 'other' }],
      recommendation:
        'No fixed version of libtiff6 (source package tiff) is known yet; 4.5.0-6+deb12u1 is installed.',
    });
    expect(byId('CVE-2023-6277')?.ratings[0]?.score).toBeUndefined();
  });

  it('gives each vulnerability a unique bom-ref', () => {
    const refs = bom.vulnerabilities.map((v) => v['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('keeps policy violations out of vulnerabilities, as metadata properties', () => {
    expect(bom.vulnerabilities.map((v) => v.id)).not.toContain('POLICY_CLOUD_CREDENTIALS');
    const values = bom.metadata.properties.map((p) => `${p.name}=${p.value}`);
    expect(values).toContain(
      'goldsmith:policy_violation=critical | POLICY_CLOUD_CREDENTIALS | opt/app/.env:3 | installer layer | blocks the build (policy violation) | AWS secret access key in /opt/app/.env:3',
    );
    expect(values).toContain(
      'goldsmith:policy_not_run=not run: malware-clamav (clamscan not installed)',
    );
    expect(values).toContain('goldsmith:gate=failed (4 blocking)');
  });
});
