import { describe, expect, it } from 'vitest';
import { renderSpdxReport, toSpdxDocument } from '../../../src/scanner/reports/spdx-report.js';
import { sampleReport } from './report-fixture.js';
import { spdxValidator } from './schema-validators.js';

describe('toSpdxDocument', () => {
  const document = toSpdxDocument(sampleReport);
  const validate = spdxValidator();
  const byName = (name: string) => document.packages.find((p) => p.name === name);

  it('validates against the official SPDX 2.3 schema', () => {
    expect(validate(JSON.parse(renderSpdxReport(sampleReport)))).toEqual([]);
  });

  it.each([
    ['a document without creationInfo', { ...document, creationInfo: undefined }],
    [
      'a package without downloadLocation',
      { ...document, packages: [{ ...document.packages[0], downloadLocation: undefined }] },
    ],
    [
      'an external reference of an unknown category',
      {
        ...document,
        packages: [
          {
            ...document.packages[0],
            externalRefs: [
              { referenceCategory: 'VULN', referenceType: 'x', referenceLocator: 'y' },
            ],
          },
        ],
      },
    ],
  ])('fails validation for %s', (_what, broken) => {
    expect(validate(JSON.parse(JSON.stringify(broken)))).not.toEqual([]);
  });

  it('names the document, its namespace and its creator', () => {
    expect(document).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'img-0f3c2a9d81b7e4c55',
      documentNamespace:
        'https://goldsmith.invalid/spdx/img-0f3c2a9d81b7e4c55-2026-11-27T10%3A15%3A30Z',
      creationInfo: { created: '2026-11-27T10:15:30Z', creators: ['Tool: goldsmith-0.1.0'] },
    });
    expect(document.creationInfo.comment).toContain(
      'not run: malware-clamav (clamscan not installed)',
    );
  });

  it('writes created without fractions of a second', () => {
    const document = toSpdxDocument({ ...sampleReport, createdAt: '2026-11-27T10:15:30.123Z' });
    expect(document.creationInfo.created).toBe('2026-11-27T10:15:30Z');
  });

  it('has one package per inventory package, with sanitised ids, source and purl', () => {
    expect(byName('libssl3')).toMatchObject({
      SPDXID: 'SPDXRef-Package-deb-libssl3-3.0.9-1',
      versionInfo: '3.0.9-1',
      supplier: 'NOASSERTION',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseDeclared: 'NOASSERTION',
      sourceInfo: 'built from source package openssl 3.0.9-1',
      comment: 'Brought by the base image.',
    });
    expect(byName('libssl3')?.externalRefs?.[0]).toEqual({
      referenceCategory: 'PACKAGE-MANAGER',
      referenceType: 'purl',
      referenceLocator: 'pkg:deb/debian/libssl3@3.0.9-1?arch=amd64&distro=debian-12',
    });
    expect(byName('@acme/vendor-agent')?.SPDXID).toBe(
      'SPDXRef-Package-npm-acme-vendor-agent-2.4.0',
    );
    for (const pkg of document.packages) expect(pkg.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
    const ids = document.packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares a license only when it is an SPDX expression', () => {
    expect(byName('lodash')?.licenseDeclared).toBe('MIT');
    expect(byName('semver')?.licenseDeclared).toBe('ISC');
    expect(byName('@acme/vendor-agent')?.licenseDeclared).toBe('NOASSERTION');
  });

  it('says the document describes the image, which contains every package', () => {
    expect(document.relationships[0]).toEqual({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-Image',
    });
    const contained = document.relationships
      .filter((r) => r.relationshipType === 'CONTAINS' && r.spdxElementId === 'SPDXRef-Image')
      .map((r) => r.relatedSpdxElement);
    expect(contained).toEqual(document.packages.slice(1).map((p) => p.SPDXID));
  });

  it('puts each vulnerability on its package as a security advisory reference', () => {
    expect(byName('libssl3')?.externalRefs?.[1]).toEqual({
      referenceCategory: 'SECURITY',
      referenceType: 'advisory',
      referenceLocator: 'https://osv.dev/vulnerability/CVE-2023-5363',
      comment:
        'CVE-2023-5363 (also DSA-5532-1): high 7.5; libssl3 (source package openssl) 3.0.9-1 installed, fixed in 3.0.11-1~deb12u2',
    });
    expect(byName('libtiff6')?.externalRefs?.[1]?.comment).toBe(
      'CVE-2023-6277: low; libtiff6 (source package tiff) 4.5.0-6+deb12u1 installed, no fix available',
    );
  });
});
