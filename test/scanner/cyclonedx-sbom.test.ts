import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRoot } from '../../src/scanner/inventory/analyzer-registry.js';
import { parseDpkgStatus } from '../../src/scanner/inventory/dpkg-analyzer.js';
import type { Inventory } from '../../src/scanner/inventory/inventory-types.js';
import { parseOsRelease } from '../../src/scanner/inventory/os-release.js';
import {
  inventoryToCycloneDx,
  SOURCE_NAME_PROPERTY,
  SOURCE_VERSION_PROPERTY,
  toCycloneDx,
} from '../../src/scanner/sbom/cyclonedx-sbom.js';
import type { CycloneDxBom } from '../../src/scanner/sbom/cyclonedx-sbom.js';
import { repoRoot } from '../support/paths.js';
import { writeTxtarRoot, zipArchiveDirs } from './inventory/fixture-root.js';

const SCHEMAS = path.join(repoRoot, 'test/fixtures/schemas');

/** The official CycloneDX 1.6 schema with the two schemas it refers to. */
function cycloneDxValidator(): (document: unknown) => string[] {
  const load = (file: string): Record<string, unknown> =>
    JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  // ajv-formats lacks the draft-07 IRI and IDN formats; accept any string without whitespace.
  ajv.addFormat('iri-reference', /^\S*$/);
  ajv.addFormat('idn-email', /^\S+@\S+$/);
  ajv.addSchema(load('cyclonedx-spdx.schema.json'));
  ajv.addSchema(load('cyclonedx-jsf-0.82.schema.json'));
  const validate = ajv.compile(load('cyclonedx-bom-1.6.schema.json'));
  return (document) =>
    validate(document)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const inventory = parseDpkgStatus(
  readFileSync(path.join(repoRoot, 'test/fixtures/dpkg/status'), 'utf8'),
  'var/lib/dpkg/status',
);

const meta = {
  osRelease: parseOsRelease(
    'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  ),
  imageName: 'img-0f3c2a9d81b7e4c55',
  imageVersion: 'sha256:0f3c2a9d81b7e4c55aa0',
  timestamp: '2024-03-04T05:06:07Z',
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
};

describe('toCycloneDx', () => {
  const bom = toCycloneDx(inventory, meta);
  const byName = (name: string, arch = 'amd64') =>
    bom.components.find((c) => c.name === name && (c.purl ?? '').includes(`arch=${arch}`));

  it('validates against the official CycloneDX 1.6 schema', () => {
    expect(cycloneDxValidator()(bom)).toEqual([]);
  });

  it('has a validator that does reject a broken BOM', () => {
    const broken = { ...bom, components: [{ type: 'gadget', name: 'x' }] };
    expect(cycloneDxValidator()(broken)).not.toEqual([]);
  });

  it('also validates without a serial number or an os-release', () => {
    const bare: CycloneDxBom = toCycloneDx(inventory, {
      imageName: meta.imageName,
      imageVersion: meta.imageVersion,
      timestamp: meta.timestamp,
    });
    expect(bare.serialNumber).toBeUndefined();
    expect(cycloneDxValidator()(bare)).toEqual([]);
  });

  it('describes the image in the metadata', () => {
    expect(bom).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: meta.serialNumber,
      version: 1,
      metadata: {
        timestamp: meta.timestamp,
        component: { type: 'container', name: meta.imageName, version: meta.imageVersion },
      },
    });
  });

  it.each([
    ['base-files', 'amd64', 'pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12'],
    ['bsdutils', 'amd64', 'pkg:deb/debian/bsdutils@1%3A2.38.1-5%2Bb1?arch=amd64&distro=debian-12'],
    ['libc6', 'i386', 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=i386&distro=debian-12'],
    [
      'vendor-agent',
      'amd64',
      'pkg:deb/debian/vendor-agent@2%3A4.5.0~rc1%2Bdfsg-1?arch=amd64&distro=debian-12',
    ],
  ])('gives %s (%s) the purl %s', (name, arch, purl) => {
    expect(byName(name, arch)).toMatchObject({ type: 'library', 'bom-ref': purl, purl });
  });

  it('records the source package as properties', () => {
    expect(byName('bsdutils')?.properties).toEqual([
      { name: SOURCE_NAME_PROPERTY, value: 'util-linux' },
      { name: SOURCE_VERSION_PROPERTY, value: '2.38.1-5' },
    ]);
    expect(byName('base-files')?.properties).toEqual([
      { name: SOURCE_NAME_PROPERTY, value: 'base-files' },
      { name: SOURCE_VERSION_PROPERTY, value: '12.4+deb12u5' },
    ]);
  });

  it('lists the operating system and only packages with files on disk', () => {
    expect(bom.components[0]).toMatchObject({
      type: 'operating-system',
      name: 'debian',
      version: '12',
    });
    expect(byName('old-daemon')).toBeUndefined();
    expect(byName('half-done', 'all')).toBeDefined();
    const refs = bom.components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
  });
});

describe('inventoryToCycloneDx', () => {
  let root: string;
  let bom: CycloneDxBom;
  beforeAll(async () => {
    root = writeTxtarRoot('language-packages.txtar');
    writeTxtarRoot('java.txtar', root);
    zipArchiveDirs(root);
    const found = await analyzeRoot(root);
    // rpm and Go packages as their analyzers report them (their fixtures need tools to build).
    const inventory: Inventory = {
      ...found,
      packages: [
        ...found.packages,
        {
          type: 'rpm',
          name: 'bash',
          version: '5.1.8-6.el9',
          sourceName: 'bash',
          sourceVersion: '5.1.8-6.el9',
          arch: 'x86_64',
          purl: 'pkg:rpm/rocky/bash@5.1.8-6.el9?arch=x86_64&distro=rocky-9.3',
          licenses: ['GPLv3+'],
          locations: ['var/lib/rpm/rpmdb.sqlite'],
        },
        {
          type: 'go',
          name: 'stdlib',
          version: 'v1.19.8',
          purl: 'pkg:golang/stdlib@v1.19.8',
          locations: ['usr/local/bin/hello'],
        },
      ],
    };
    bom = inventoryToCycloneDx(inventory, {
      imageName: meta.imageName,
      imageVersion: meta.imageVersion,
      timestamp: meta.timestamp,
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('validates against the official CycloneDX 1.6 schema', () => {
    expect(cycloneDxValidator()(bom)).toEqual([]);
  });

  it('has one component per package of every type, with the operating system first', () => {
    expect(bom.components[0]).toMatchObject({ type: 'operating-system', version: '12' });
    const types = new Set(bom.components.map((c) => /^pkg:(\w+)\//.exec(c.purl ?? '')?.[1]));
    expect([...types].sort()).toEqual(['deb', 'golang', 'maven', 'npm', 'pypi', 'rpm', undefined]);
    const refs = bom.components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('gives licenses, source packages and where each package was found', () => {
    expect(bom.components.find((c) => c.name === 'express')).toMatchObject({
      purl: 'pkg:npm/express@4.18.2',
      licenses: [{ license: { name: 'MIT' } }],
      evidence: { occurrences: [{ location: 'opt/app/node_modules/express/package.json' }] },
    });
    expect(bom.components.find((c) => c.name === 'bash')?.properties).toEqual([
      { name: 'goldsmith:rpm:source_name', value: 'bash' },
      { name: 'goldsmith:rpm:source_version', value: '5.1.8-6.el9' },
    ]);
    expect(bom.components.find((c) => c.name === 'libc6')?.properties).toEqual([
      { name: SOURCE_NAME_PROPERTY, value: 'glibc' },
      { name: SOURCE_VERSION_PROPERTY, value: '2.36-9+deb12u4' },
    ]);
  });
});
