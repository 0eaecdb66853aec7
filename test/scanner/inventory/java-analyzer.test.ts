import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzerResult } from '../../../src/scanner/inventory/analyzer.js';
import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import { javaAnalyzer, parseManifest } from '../../../src/scanner/inventory/java-analyzer.js';
import { writeTxtarRoot, zipArchiveDirs } from './fixture-root.js';

describe('java analyzer on java.txtar', () => {
  let root: string;
  let result: AnalyzerResult;
  beforeAll(async () => {
    root = writeTxtarRoot('java.txtar');
    zipArchiveDirs(root);
    result = await analyzeRoot(root, { analyzers: [javaAnalyzer] });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const summary = (): string[] =>
    result.packages.map((pkg) => `${pkg.purl} ${pkg.locations.join(',')}`);

  it('reads pom.properties, manifests and nested jars with their locations', () => {
    expect(summary()).toEqual([
      'pkg:maven/com.example/fat@0.3.0 srv/shop.war!/WEB-INF/lib/fat.jar',
      'pkg:maven/com.example/shop@1.0.0 srv/shop.war',
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0 srv/shop.war!/WEB-INF/lib/fat.jar!/lib/jackson-databind-2.13.0.jar',
      'pkg:maven/org.apache.commons/commons-lang3@3.12.0 opt/app/lib/commons-lang3-3.12.0.jar',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 srv/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar',
      'pkg:maven/org.example.osgi/tool@2.1.0 opt/app/lib/osgi-only.jar',
    ]);
    expect(result.packages.find((pkg) => pkg.version === '2.14.1')?.name).toBe(
      'org.apache.logging.log4j:log4j-core',
    );
  });

  it('skips what it cannot identify or read, with a warning each', () => {
    expect(result.warnings.map((w) => `${w.file}: ${w.message}`)).toEqual([
      'opt/app/lib/bad-pom.jar: META-INF/maven/org.example/bad/pom.properties lacks groupId, artifactId or version',
      'opt/app/lib/bad-pom.jar: no Maven coordinates in pom.properties or the manifest',
      'opt/app/lib/no-metadata.jar: no Maven coordinates in pom.properties or the manifest',
      'opt/app/lib/not-a-zip.jar: not a readable archive: no end of central directory record',
      'srv/shop.war: !/WEB-INF/lib/fat.jar!/lib/jackson-databind-2.13.0.jar!/deeper/too-deep.jar: nested deeper than 2, not read',
    ]);
  });

  it('joins manifest continuation lines and stops at the main section', () => {
    const manifest = parseManifest(
      'Manifest-Version: 1.0\r\nImplementation-Title: a-very-long-\r\n title\r\n\r\nName: x\r\nImplementation-Title: other\r\n',
    );
    expect(manifest.get('Implementation-Title')).toBe('a-very-long-title');
    expect(manifest.has('Name')).toBe(false);
  });
});
