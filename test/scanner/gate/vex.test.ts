import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GateConfigError } from '../../../src/scanner/gate/gate-config-error.js';
import { parseVexDocument } from '../../../src/scanner/gate/vex.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'));

describe('parseVexDocument: OpenVEX', () => {
  it('reads statements, their subcomponents, identifiers and the document timestamp', () => {
    expect(parseVexDocument(fixture('openvex-libssl3.json'), 'openvex-libssl3.json')).toEqual([
      {
        vulnerability: 'CVE-2023-5363',
        aliases: ['DSA-5532-1'],
        products: [
          'pkg:oci/debian-12-gold@sha256%3A2b9ac18fd6ea3ef1c6e3b6b5ae8e5d3a1fd6c1f9ab0b6d0cc4b70f3c28c8a1d2?repository_url=registry.example.com/gold',
          'pkg:deb/debian/libssl3?arch=amd64&distro=debian-12',
        ],
        status: 'not_affected',
        justification:
          'vulnerable_code_not_in_execute_path: No component of the image calls EVP_EncryptInit_ex2 or EVP_DecryptInit_ex2 with key or IV length parameters.',
        timestamp: '2024-01-15T10:00:00Z',
        origin: 'openvex-libssl3.json',
      },
      {
        vulnerability: 'CVE-2024-0727',
        aliases: ['GHSA-9v9h-cgj8-h64p'],
        products: ['pkg:deb/debian/libssl3'],
        status: 'affected',
        timestamp: '2024-01-26T08:30:00Z',
        origin: 'openvex-libssl3.json',
      },
      {
        vulnerability: 'CVE-2023-6129',
        aliases: [],
        products: ['pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64'],
        status: 'not_affected',
        justification: 'component_not_present',
        timestamp: '2024-01-15T10:00:00Z',
        origin: 'openvex-libssl3.json',
      },
      // CVE-2023-45853 names its product by digest only: no package to match, so no statement.
    ]);
  });

  it('reads pre-0.2.0 documents with string vulnerabilities and products', () => {
    const document = {
      '@context': 'https://openvex.dev/ns',
      '@id': 'https://openvex.dev/docs/example/vex-9fb3463de1b57',
      author: 'Wolfi J Inkinson',
      timestamp: '2023-01-08T18:02:03.647787998-06:00',
      version: '1',
      statements: [
        {
          vulnerability: 'CVE-2014-123456',
          products: ['pkg:apk/distro/git@2.39.0-r1?arch=armv7'],
          status: 'fixed',
        },
      ],
    };
    expect(parseVexDocument(document, 'old.json')).toEqual([
      {
        vulnerability: 'CVE-2014-123456',
        aliases: [],
        products: ['pkg:apk/distro/git@2.39.0-r1?arch=armv7'],
        status: 'fixed',
        timestamp: '2023-01-08T18:02:03.647787998-06:00',
        origin: 'old.json',
      },
    ]);
  });
});

describe('parseVexDocument: CycloneDX', () => {
  it('resolves bom-refs (nested and in metadata) and direct purls, and maps analysis states', () => {
    expect(parseVexDocument(fixture('cyclonedx-vex.json'), 'cdx.json')).toEqual([
      {
        vulnerability: 'CVE-2023-45853',
        aliases: ['GHSA-mq29-j5xf-cjwr'],
        products: ['pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12'],
        status: 'not_affected',
        justification:
          'code_not_reachable: MiniZip is not built into zlib1g; only the core library is shipped.',
        timestamp: '2024-02-01T12:00:00Z',
        origin: 'cdx.json',
      },
      {
        vulnerability: 'CVE-2021-23337',
        aliases: [],
        products: ['pkg:npm/lodash@4.17.20'],
        status: 'not_affected',
        justification: 'false_positive: lodash is vendored for tests and never loaded.',
        timestamp: '2024-02-01T12:00:00Z',
        origin: 'cdx.json',
      },
      {
        vulnerability: 'CVE-2020-14343',
        aliases: [],
        products: ['pkg:pypi/pyyaml@5.3.1'],
        status: 'affected',
        timestamp: '2024-02-01T12:00:00Z',
        origin: 'cdx.json',
      },
      {
        vulnerability: 'GHSA-8q59-q68h-6hv4',
        aliases: [],
        products: ['pkg:pypi/pyyaml@5.3.1'],
        status: 'under_investigation',
        timestamp: '2024-02-01T12:00:00Z',
        origin: 'cdx.json',
      },
      // CVE-2022-0001 affects a component of another BOM (a BOM-Link): nothing to match here.
    ]);
  });

  it('reads a BOM without vulnerabilities as no statements', () => {
    expect(parseVexDocument({ bomFormat: 'CycloneDX', specVersion: '1.6' }, 'sbom.json')).toEqual(
      [],
    );
  });
});

describe('parseVexDocument: errors', () => {
  const openVex = (statement: Record<string, unknown>): unknown => ({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    statements: [statement],
  });
  const statement = {
    vulnerability: { name: 'CVE-2023-5363' },
    products: [{ '@id': 'pkg:deb/debian/libssl3' }],
    status: 'not_affected',
    justification: 'component_not_present',
  };
  const cycloneDx = (vulnerability: Record<string, unknown>): unknown => ({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: [{ 'bom-ref': 'libssl3', name: 'libssl3', purl: 'pkg:deb/debian/libssl3' }],
    vulnerabilities: [vulnerability],
  });

  it.each<{ name: string; json: unknown; message: string }>([
    { name: 'not an object', json: [], message: 'vex.json: expected an object, got an array' },
    { name: 'neither format', json: { statements: [] }, message: 'vex.json: not a VEX document' },
    {
      name: 'OpenVEX without statements',
      json: { '@context': 'https://openvex.dev/ns/v0.2.0' },
      message: 'vex.json: statements: expected an array, got undefined',
    },
    {
      name: 'OpenVEX bad document timestamp',
      json: { '@context': 'https://openvex.dev/ns/v0.2.0', timestamp: 'yesterday', statements: [] },
      message: 'vex.json: timestamp: expected an ISO 8601 timestamp, got "yesterday"',
    },
    {
      name: 'OpenVEX unknown status',
      json: openVex({ ...statement, status: 'not-affected' }),
      message:
        'vex.json: statements[0].status: expected one of not_affected, affected, fixed, under_investigation, got string "not-affected"',
    },
    {
      name: 'OpenVEX unknown justification',
      json: openVex({ ...statement, justification: 'code_not_reachable' }),
      message: 'vex.json: statements[0].justification: expected one of component_not_present',
    },
    {
      name: 'OpenVEX not_affected without justification',
      json: openVex({ ...statement, justification: undefined }),
      message:
        'vex.json: statements[0]: a not_affected statement needs a justification or an impact_statement',
    },
    {
      name: 'OpenVEX vulnerability without name or @id',
      json: openVex({ ...statement, vulnerability: { aliases: ['CVE-1'] } }),
      message: 'vex.json: statements[0].vulnerability: needs a name or an @id',
    },
    {
      name: 'OpenVEX aliases not strings',
      json: openVex({ ...statement, vulnerability: { name: 'CVE-1', aliases: [1] } }),
      message: 'vex.json: statements[0].vulnerability.aliases[0]: expected a string, got number 1',
    },
    {
      name: 'OpenVEX products missing',
      json: openVex({ ...statement, products: undefined }),
      message: 'vex.json: statements[0].products: expected an array, got undefined',
    },
    {
      name: 'OpenVEX invalid product purl',
      json: openVex({ ...statement, products: [{ '@id': 'pkg:deb' }] }),
      message: 'vex.json: statements[0].products[0].@id: invalid purl "pkg:deb"',
    },
    {
      name: 'OpenVEX invalid subcomponent purl',
      json: openVex({
        ...statement,
        products: [{ '@id': 'pkg:oci/app', subcomponents: [{ identifiers: { purl: 'pkg:' } }] }],
      }),
      message:
        'vex.json: statements[0].products[0].subcomponents[0].identifiers.purl: invalid purl "pkg:"',
    },
    {
      name: 'CycloneDX vulnerability without id',
      json: cycloneDx({ affects: [{ ref: 'libssl3' }] }),
      message: 'vex.json: vulnerabilities[0].id: expected a string, got undefined',
    },
    {
      name: 'CycloneDX unknown state',
      json: cycloneDx({
        id: 'CVE-1',
        analysis: { state: 'affected' },
        affects: [{ ref: 'libssl3' }],
      }),
      message:
        'vex.json: vulnerabilities[0].analysis.state: expected one of resolved, resolved_with_pedigree, exploitable, in_triage, false_positive, not_affected, got string "affected"',
    },
    {
      name: 'CycloneDX unknown justification',
      json: cycloneDx({
        id: 'CVE-1',
        analysis: { state: 'not_affected', justification: 'component_not_present' },
        affects: [{ ref: 'libssl3' }],
      }),
      message:
        'vex.json: vulnerabilities[0].analysis.justification: expected one of code_not_present',
    },
    {
      name: 'CycloneDX unknown bom-ref',
      json: cycloneDx({ id: 'CVE-1', affects: [{ ref: 'libssl' }] }),
      message: 'vex.json: vulnerabilities[0].affects[0].ref: no component has bom-ref "libssl"',
    },
    {
      name: 'CycloneDX affects not an array',
      json: cycloneDx({ id: 'CVE-1', affects: { ref: 'libssl3' } }),
      message: 'vex.json: vulnerabilities[0].affects: expected an array, got an object',
    },
    {
      name: 'CycloneDX component purl invalid',
      json: { bomFormat: 'CycloneDX', components: [{ 'bom-ref': 'x', purl: 'libssl3' }] },
      message: 'vex.json: components[0].purl: invalid purl "libssl3"',
    },
  ])('refuses $name', ({ json, message }) => {
    expect(() => parseVexDocument(json, 'vex.json')).toThrow(GateConfigError);
    expect(() => parseVexDocument(json, 'vex.json')).toThrow(message);
  });
});
