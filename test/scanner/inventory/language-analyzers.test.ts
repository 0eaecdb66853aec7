import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzerResult } from '../../../src/scanner/inventory/analyzer.js';
import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import { isInstalledManifest, npmAnalyzer } from '../../../src/scanner/inventory/npm-analyzer.js';
import { pythonAnalyzer } from '../../../src/scanner/inventory/python-analyzer.js';
import { writeTxtarRoot } from './fixture-root.js';

describe('npm and Python analyzers on language-packages.txtar', () => {
  let root: string;
  let npm: AnalyzerResult;
  let python: AnalyzerResult;
  beforeAll(async () => {
    root = writeTxtarRoot('language-packages.txtar');
    const inventory = await analyzeRoot(root, { analyzers: [npmAnalyzer, pythonAnalyzer] });
    const only = (type: string): AnalyzerResult => ({
      packages: inventory.packages.filter((pkg) => pkg.type === type),
      warnings: inventory.warnings.filter((w) =>
        type === 'npm' ? w.file.endsWith('package.json') : !w.file.endsWith('package.json'),
      ),
    });
    npm = only('npm');
    python = only('python');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds installed npm packages, scoped and nested, with purls and licenses', () => {
    expect(npm.packages).toEqual([
      {
        type: 'npm',
        name: '@babel/core',
        version: '7.23.0',
        purl: 'pkg:npm/%40babel/core@7.23.0',
        licenses: ['MIT'],
        locations: ['opt/app/node_modules/@babel/core/package.json'],
      },
      {
        type: 'npm',
        name: 'debug',
        version: '2.6.9',
        purl: 'pkg:npm/debug@2.6.9',
        licenses: ['MIT'],
        locations: ['opt/app/node_modules/express/node_modules/debug/package.json'],
      },
      {
        type: 'npm',
        name: 'express',
        version: '4.18.2',
        purl: 'pkg:npm/express@4.18.2',
        licenses: ['MIT'],
        locations: ['opt/app/node_modules/express/package.json'],
      },
      {
        type: 'npm',
        name: 'npm',
        version: '9.2.0',
        purl: 'pkg:npm/npm@9.2.0',
        licenses: ['Artistic-2.0'],
        locations: ['usr/lib/node_modules/npm/package.json'],
      },
    ]);
  });

  it('skips malformed package.json files with a warning each', () => {
    expect(npm.warnings).toEqual([
      {
        file: 'opt/app/node_modules/broken-json/package.json',
        line: 0,
        message: expect.stringContaining('not JSON') as string,
      },
      {
        file: 'opt/app/node_modules/no-version/package.json',
        line: 0,
        message: 'skipped: no-version: no "version"',
      },
    ]);
  });

  it.each([
    ['node_modules/a/package.json', true],
    ['usr/lib/node_modules/@s/b/package.json', true],
    ['x/node_modules/a/node_modules/@s/b/package.json', true],
    ['node_modules/a/lib/package.json', false],
    ['node_modules/a/test/fixtures/node_modules/b/package.json', false],
    ['node_modules/.bin/package.json', false],
    ['node_modules/package.json', false],
    ['app/package.json', false],
  ])('isInstalledManifest(%s) is %s', (relPath, expected) => {
    expect(isInstalledManifest(relPath)).toBe(expected);
  });

  it('finds dist-info and egg-info distributions with normalised purls', () => {
    expect(python.packages).toEqual([
      {
        type: 'python',
        name: 'PyYAML',
        version: '6.0.1',
        purl: 'pkg:pypi/pyyaml@6.0.1',
        licenses: ['MIT License'],
        locations: ['usr/local/lib/python3.11/site-packages/PyYAML-6.0.1-py3.11.egg-info/PKG-INFO'],
      },
      {
        type: 'python',
        name: 'Zope.Interface',
        version: '6.0',
        purl: 'pkg:pypi/zope-interface@6.0',
        licenses: ['ZPL-2.1'],
        locations: ['usr/lib/python3/dist-packages/Zope.Interface-6.0.dist-info/METADATA'],
      },
      {
        type: 'python',
        name: 'requests',
        version: '2.28.1',
        purl: 'pkg:pypi/requests@2.28.1',
        licenses: ['Apache 2.0'],
        locations: ['usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA'],
      },
      {
        type: 'python',
        name: 'six',
        version: '1.16.0',
        purl: 'pkg:pypi/six@1.16.0',
        licenses: ['MIT'],
        locations: ['usr/lib/python3/dist-packages/six-1.16.0.egg-info'],
      },
    ]);
  });

  it('skips malformed metadata with a warning each', () => {
    expect(python.warnings).toEqual([
      {
        file: 'usr/lib/python3/dist-packages/broken-1.0.dist-info/METADATA',
        line: 0,
        message: expect.stringContaining('not a header line') as string,
      },
      {
        file: 'usr/lib/python3/dist-packages/noversion-1.0.dist-info/METADATA',
        line: 0,
        message: 'skipped: noversion: no Version',
      },
    ]);
  });

  it('never walks into proc', () => {
    expect(npm.packages.map((pkg) => pkg.name)).not.toContain('from-proc');
  });
});
