import type { FileHandle } from 'node:fs/promises';
import type { Analyzer, AnalyzerResult, AnalysisInput } from './analyzer.js';
import type { InventoryPackage, InventoryWarning } from './inventory-types.js';
import { buildPurl } from './purl.js';
import { readAt, withFileInRoot } from './root-fs.js';

/** A Go binary is at least a megabyte; nothing below an ELF header and its sections is one. */
const MIN_BINARY_BYTES = 4096;
const MAX_BINARY_BYTES = 512 * 1024 * 1024;
/** Bounds on what is read of a binary: section headers, names and the build info. */
const MAX_SECTIONS = 4096;
const MAX_SECTION_NAMES_BYTES = 1024 * 1024;
const MAX_BUILD_INFO_BYTES = 4 * 1024 * 1024;
/** `runtime/debug` build info magic (src/debug/buildinfo/buildinfo.go, `buildInfoMagic`). */
const BUILD_INFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** Go 1.18+: strings follow the 32-byte header inline, each prefixed by its uvarint length. */
const FLAG_INLINE = 0x2;
const SHT_NOBITS = 8;
const CONCURRENT_READS = 16;

/** A Go binary's embedded build information (`go version -m`). */
export interface GoBuildInfo {
  /** e.g. `go1.19.8`. */
  readonly goVersion: string;
  /** `path` line: the main package's import path. */
  readonly path: string | undefined;
  /** `mod` line: the main module; its version is `(devel)` when built from a checkout. */
  readonly main: GoModule | undefined;
  readonly deps: readonly GoModule[];
}

/** A module as build info lists it; `replace` when a `=>` line followed it. */
export interface GoModule {
  readonly path: string;
  readonly version: string;
  readonly replace?: { readonly path: string; readonly version: string };
}

interface Section {
  readonly name: string;
  readonly type: number;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
}

/** Go executables: the standard library, main module and dependencies from their build info. */
export const goBinaryAnalyzer: Analyzer = {
  type: 'go-binary',
  version: 1,
  // Only executables, as trivy's analyzer does: build info of every object would cost a read each.
  required: (_relPath, info) =>
    (info.mode & 0o111) !== 0 && info.size >= MIN_BINARY_BYTES && info.size <= MAX_BINARY_BYTES,
  async analyze({ root, relPaths }: AnalysisInput): Promise<AnalyzerResult> {
    const packages: InventoryPackage[] = [];
    const warnings: InventoryWarning[] = [];
    // Most candidates are ordinary executables read in three small reads each; overlapping
    // a few hides the thread pool's latency.
    for (let start = 0; start < relPaths.length; start += CONCURRENT_READS) {
      const batch = relPaths.slice(start, start + CONCURRENT_READS);
      const results = await Promise.all(
        batch.map((file) =>
          withFileInRoot(root, file, (handle, size) => readGoBuildInfo(handle, size)),
        ),
      );
      results.forEach((result, index) => {
        const file = batch[index] ?? '';
        if (result === undefined) return;
        if (typeof result === 'string')
          warnings.push({ file, line: 0, message: `skipped: ${result}` });
        else packages.push(...goPackages(result, file));
      });
    }
    return { packages, warnings };
  },
};

/**
 * Reads the `.go.buildinfo` section of an ELF file. Undefined when the file is not an ELF
 * file with that section (most executables); a string saying why when the section is broken.
 */
export async function readGoBuildInfo(
  handle: FileHandle,
  size: number,
): Promise<GoBuildInfo | string | undefined> {
  const ident = await readAt(handle, 0, 64);
  if (ident.length < 52 || ident.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = ident[4] === 2;
  const little = ident[5] === 1;
  const u16 = (b: Buffer, at: number): number => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number): number => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const u64 = (b: Buffer, at: number): bigint =>
    little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
  const word = (b: Buffer, at: number): bigint => (is64 ? u64(b, at) : BigInt(u32(b, at)));
  const shoff = Number(word(ident, is64 ? 0x28 : 0x20));
  const shentsize = u16(ident, is64 ? 0x3a : 0x2e);
  const shnum = u16(ident, is64 ? 0x3c : 0x30);
  const shstrndx = u16(ident, is64 ? 0x3e : 0x32);
  if (
    shnum === 0 ||
    shnum > MAX_SECTIONS ||
    shentsize < (is64 ? 64 : 40) ||
    shoff + shnum * shentsize > size
  ) {
    return undefined;
  }
  const table = await readAt(handle, shoff, shnum * shentsize);
  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = i * shentsize;
    return {
      nameOffset: u32(table, at),
      type: u32(table, at + 4),
      addr: word(table, at + (is64 ? 16 : 12)),
      offset: Number(word(table, at + (is64 ? 24 : 16))),
      size: Number(word(table, at + (is64 ? 32 : 20))),
    };
  });
  const names = raw[shstrndx];
  if (
    names === undefined ||
    names.size > MAX_SECTION_NAMES_BYTES ||
    names.offset + names.size > size
  )
    return undefined;
  const strtab = await readAt(handle, names.offset, names.size);
  const sections: Section[] = raw.map((s) => {
    const end = strtab.indexOf(0, s.nameOffset);
    return { ...s, name: strtab.toString('latin1', s.nameOffset, end < 0 ? strtab.length : end) };
  });
  const section = sections.find((s) => s.name === '.go.buildinfo');
  if (section === undefined) return undefined;
  const data = await readAt(handle, section.offset, Math.min(section.size, MAX_BUILD_INFO_BYTES));
  if (data.length < 32 || !data.subarray(0, BUILD_INFO_MAGIC.length).equals(BUILD_INFO_MAGIC)) {
    return '.go.buildinfo does not start with the build info magic';
  }
  const ptrSize = data[14] ?? 0;
  const flags = data[15] ?? 0;
  let goVersion: string | undefined;
  let modinfo: string | undefined;
  if ((flags & FLAG_INLINE) !== 0) {
    const first = readVarintString(data, 32);
    const second = first === undefined ? undefined : readVarintString(data, first.next);
    goVersion = first?.text;
    modinfo = second?.text;
  } else {
    // Before Go 1.18: two pointers to Go string headers {data pointer, length} in the image.
    if (ptrSize !== 4 && ptrSize !== 8) return `.go.buildinfo pointer size ${ptrSize}`;
    const bigEndian = (flags & 0x1) !== 0;
    const pointer = (b: Buffer, at: number): bigint =>
      ptrSize === 8
        ? bigEndian
          ? b.readBigUInt64BE(at)
          : b.readBigUInt64LE(at)
        : BigInt(bigEndian ? b.readUInt32BE(at) : b.readUInt32LE(at));
    const readVirtual = async (addr: bigint, length: number): Promise<Buffer | undefined> => {
      const holder = sections.find(
        (s) =>
          s.type !== SHT_NOBITS &&
          s.addr <= addr &&
          addr + BigInt(length) <= s.addr + BigInt(s.size),
      );
      if (holder === undefined) return undefined;
      return readAt(handle, holder.offset + Number(addr - holder.addr), length);
    };
    const readGoString = async (addr: bigint): Promise<string | undefined> => {
      const header = await readVirtual(addr, ptrSize * 2);
      if (header === undefined || header.length < ptrSize * 2) return undefined;
      const length = Number(pointer(header, ptrSize));
      if (length > MAX_BUILD_INFO_BYTES) return undefined;
      return (await readVirtual(pointer(header, 0), length))?.toString('utf8');
    };
    goVersion = await readGoString(pointer(data, 16));
    modinfo = await readGoString(pointer(data, 16 + ptrSize));
  }
  if (goVersion === undefined || modinfo === undefined)
    return '.go.buildinfo strings are unreadable';
  return parseModinfo(goVersion, modinfo);
}

/** A uvarint length then that many bytes, as `encoding/binary` writes them. */
function readVarintString(data: Buffer, at: number): { text: string; next: number } | undefined {
  let length = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = data[pos];
    if (byte === undefined || shift > 28) return undefined;
    pos += 1;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  if (pos + length > data.length) return undefined;
  return { text: data.toString('utf8', pos, pos + length), next: pos + length };
}

/**
 * Parses the module info string (`runtime/debug.BuildInfo`'s text form): tab-separated
 * `path`, `mod`, `dep` and `=>` lines, framed by 16-byte sentinels that Go strips the same way.
 */
export function parseModinfo(goVersion: string, modinfo: string): GoBuildInfo {
  let text = modinfo;
  if (text.length >= 33 && text[text.length - 17] === '\n') text = text.slice(16, -16);
  let path: string | undefined;
  let main: GoModule | undefined;
  const deps: GoModule[] = [];
  let last: { list: 'main' | 'deps'; module: GoModule } | undefined;
  for (const line of text.split('\n')) {
    const [kind, first = '', second = ''] = line.split('\t');
    if (kind === 'path') path = first;
    else if (kind === 'mod') {
      main = { path: first, version: second };
      last = { list: 'main', module: main };
    } else if (kind === 'dep') {
      const module = { path: first, version: second };
      deps.push(module);
      last = { list: 'deps', module };
    } else if (kind === '=>' && last !== undefined) {
      const replaced = { ...last.module, replace: { path: first, version: second } };
      if (last.list === 'main') main = replaced;
      else deps[deps.length - 1] = replaced;
    }
  }
  return { goVersion, path, main, deps };
}

/**
 * Packages of one binary: the standard library (`stdlib` at the toolchain's version, as
 * trivy and govulncheck name it), the main module unless it is `(devel)`, and each dependency.
 * A dependency replaced by another module version is reported as that module; one replaced by
 * a local directory keeps the version it required.
 */
function goPackages(info: GoBuildInfo, file: string): InventoryPackage[] {
  const packages: InventoryPackage[] = [];
  const add = (name: string, version: string): void => {
    packages.push({ type: 'go', name, version, purl: goPurl(name, version), locations: [file] });
  };
  const toolchain = /^go(\d+\.\d+(?:\.\d+)?)/.exec(info.goVersion);
  if (toolchain !== null) add('stdlib', `v${toolchain[1] ?? ''}`);
  const modules = info.main === undefined ? info.deps : [info.main, ...info.deps];
  for (const module of modules) {
    const replace = module.replace;
    const used = replace !== undefined && /^v\d/.test(replace.version) ? replace : module;
    if (!/^v\d/.test(used.version) || used.path === '') continue;
    add(used.path, used.version);
  }
  return packages;
}

/** `pkg:golang/<namespace>/<name>@<version>`: the module path's last element is the name. */
function goPurl(modulePath: string, version: string): string {
  const slash = modulePath.lastIndexOf('/');
  return slash < 0
    ? buildPurl('golang', undefined, modulePath, version)
    : buildPurl('golang', modulePath.slice(0, slash), modulePath.slice(slash + 1), version);
}
