import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzerResult } from '../../../src/scanner/inventory/analyzer.js';
import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import {
  goBinaryAnalyzer,
  parseModinfo,
} from '../../../src/scanner/inventory/go-binary-analyzer.js';
import { tempDir } from '../../support/paths.js';

/** The Go toolchain's version (`go1.19.8`), or undefined when `go` is not installed. */
function goVersion(): string | undefined {
  try {
    return /go\d+\.\d+(?:\.\d+)?/.exec(execFileSync('go', ['version'], { encoding: 'utf8' }))?.[0];
  } catch {
    return undefined;
  }
}

const toolchain = goVersion();
/** Go's modinfo sentinels (cmd/go/internal/modload/build.go, infoStart and infoEnd). */
const INFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex').toString('latin1');
const INFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex').toString('latin1');

/**
 * Builds `example.com/hello`, which requires `example.com/greet v1.2.3` replaced by a local
 * directory, so it compiles offline (GOPROXY=off) and still has a dependency in its build info.
 */
function buildHello(work: string, output: string): void {
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), text);
  };
  write('greet/go.mod', 'module example.com/greet\n\ngo 1.18\n');
  write('greet/greet.go', 'package greet\n\nfunc Hello() string { return "hello" }\n');
  write(
    'hello/go.mod',
    'module example.com/hello\n\ngo 1.18\n\nrequire example.com/greet v1.2.3\n\nreplace example.com/greet => ../greet\n',
  );
  write(
    'hello/main.go',
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greet"\n)\n\nfunc main() { fmt.Println(greet.Hello()) }\n',
  );
  execFileSync('go', ['build', '-buildvcs=false', '-o', output, '.'], {
    cwd: path.join(work, 'hello'),
    env: {
      ...process.env,
      GOCACHE: path.join(work, 'cache'),
      GOPATH: path.join(work, 'gopath'),
      GOPROXY: 'off',
      GOFLAGS: '-mod=mod',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
    },
    stdio: 'pipe',
  });
}

describe.skipIf(toolchain === undefined)('go-binary analyzer on a binary compiled now', () => {
  let work: string;
  let root: string;
  let result: AnalyzerResult;
  beforeAll(async () => {
    work = tempDir('go-work');
    root = tempDir('go-root');
    mkdirSync(path.join(root, 'usr/local/bin'), { recursive: true });
    const hello = path.join(root, 'usr/local/bin/hello');
    buildHello(work, hello);
    // The same binary with its build info magic overwritten, and a non-executable copy.
    const bytes = readFileSync(hello);
    const magic = bytes.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
    const broken = Buffer.from(bytes);
    broken.write('XXXX', magic + 2, 'latin1');
    writeFileSync(path.join(root, 'usr/local/bin/broken'), broken);
    chmodSync(path.join(root, 'usr/local/bin/broken'), 0o755);
    writeFileSync(path.join(root, 'usr/local/bin/not-executable'), bytes);
    chmodSync(path.join(root, 'usr/local/bin/not-executable'), 0o644);
    writeFileSync(path.join(root, 'usr/local/bin/script'), `#!/bin/sh\n${'#'.repeat(5000)}\n`);
    chmodSync(path.join(root, 'usr/local/bin/script'), 0o755);
    result = await analyzeRoot(root, { analyzers: [goBinaryAnalyzer] });
  }, 300_000);
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('reports the standard library and the dependency, not the (devel) main module', () => {
    const stdlib = `v${(toolchain ?? '').slice(2)}`;
    expect(result.packages).toEqual([
      {
        type: 'go',
        name: 'example.com/greet',
        version: 'v1.2.3',
        purl: 'pkg:golang/example.com/greet@v1.2.3',
        locations: ['usr/local/bin/hello'],
      },
      {
        type: 'go',
        name: 'stdlib',
        version: stdlib,
        purl: `pkg:golang/stdlib@${stdlib}`,
        locations: ['usr/local/bin/hello'],
      },
    ]);
  });

  it('warns about a broken build info section and ignores other executables', () => {
    expect(result.warnings).toEqual([
      {
        file: 'usr/local/bin/broken',
        line: 0,
        message: 'skipped: .go.buildinfo does not start with the build info magic',
      },
    ]);
  });
});

/**
 * A minimal little-endian ELF64 file in the build info layout of Go 1.13-1.17: `.go.buildinfo`
 * holds two pointers to Go string headers {data, len} in `.data`.
 */
function pointerFormatElf(version: string, modinfo: string): Buffer {
  // 4 KiB: the analyzer ignores smaller files.
  const file = Buffer.alloc(0x1000);
  const dataAddr = 0x500000n;
  const dataOffset = 0x200;
  // .data: two string headers, then the strings.
  const versionBytes = Buffer.from(version, 'latin1');
  const modBytes = Buffer.from(modinfo, 'latin1');
  file.writeBigUInt64LE(dataAddr + 32n, dataOffset);
  file.writeBigUInt64LE(BigInt(versionBytes.length), dataOffset + 8);
  file.writeBigUInt64LE(dataAddr + 32n + BigInt(versionBytes.length), dataOffset + 16);
  file.writeBigUInt64LE(BigInt(modBytes.length), dataOffset + 24);
  versionBytes.copy(file, dataOffset + 32);
  modBytes.copy(file, dataOffset + 32 + versionBytes.length);
  // .go.buildinfo at 0x100: magic, pointer size 8, little-endian, then the two pointers.
  file.write('\xff Go buildinf:', 0x100, 'latin1');
  file[0x100 + 14] = 8;
  file[0x100 + 15] = 0;
  file.writeBigUInt64LE(dataAddr, 0x100 + 16);
  file.writeBigUInt64LE(dataAddr + 16n, 0x100 + 24);
  const names = '\0.go.buildinfo\0.data\0.shstrtab\0';
  file.write(names, 0x700, 'latin1');
  // ELF header: class 64, little-endian; section headers at 0x600, 4 of them, names in #3.
  file.write('\x7fELF', 0, 'latin1');
  file[4] = 2;
  file[5] = 1;
  file.writeBigUInt64LE(0x600n, 0x28);
  file.writeUInt16LE(64, 0x3a);
  file.writeUInt16LE(4, 0x3c);
  file.writeUInt16LE(3, 0x3e);
  const section = (index: number, name: number, addr: bigint, offset: number, size: number) => {
    const at = 0x600 + index * 64;
    file.writeUInt32LE(name, at);
    file.writeUInt32LE(1, at + 4);
    file.writeBigUInt64LE(addr, at + 16);
    file.writeBigUInt64LE(BigInt(offset), at + 24);
    file.writeBigUInt64LE(BigInt(size), at + 32);
  };
  section(1, 1, 0x400000n, 0x100, 32);
  section(2, names.indexOf('.data'), dataAddr, dataOffset, 0x100);
  section(3, names.indexOf('.shstrtab'), 0n, 0x700, names.length);
  return file;
}

describe('go-binary analyzer on the pre-1.18 pointer format', () => {
  it('follows the pointers into the data section', async () => {
    const root = tempDir('go-old');
    try {
      const modinfo = `${INFO_START}path\texample.com/old\nmod\texample.com/old\tv0.1.0\th1:x=\ndep\tgolang.org/x/text\tv0.3.6\th1:y=\n${INFO_END}`;
      writeFileSync(path.join(root, 'old'), pointerFormatElf('go1.16.15', modinfo), {
        mode: 0o755,
      });
      const result = await analyzeRoot(root, { analyzers: [goBinaryAnalyzer] });
      expect(result.warnings).toEqual([]);
      expect(result.packages.map((pkg) => pkg.purl)).toEqual([
        'pkg:golang/example.com/old@v0.1.0',
        'pkg:golang/golang.org/x/text@v0.3.6',
        'pkg:golang/stdlib@v1.16.15',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('parseModinfo', () => {
  it('strips the sentinels and applies replacements to the module before them', () => {
    const text = `${INFO_START}path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgithub.com/a/b\tv1.0.0\th1:a=\n=>\tgithub.com/fork/b\tv1.0.1\th1:b=\ndep\tgithub.com/c/d\tv2.0.0+incompatible\th1:c=\nbuild\t-compiler=gc\n${INFO_END}`;
    expect(parseModinfo('go1.21.0', text)).toEqual({
      goVersion: 'go1.21.0',
      path: 'example.com/app',
      main: { path: 'example.com/app', version: '(devel)' },
      deps: [
        {
          path: 'github.com/a/b',
          version: 'v1.0.0',
          replace: { path: 'github.com/fork/b', version: 'v1.0.1' },
        },
        { path: 'github.com/c/d', version: 'v2.0.0+incompatible' },
      ],
    });
  });
});
