/**
 * Scanner benchmark on the debian-12 base root: import time and peak memory of all of
 * ../shared/vulndata, a full scan (inventory, matching, policy checks) cold, the same image
 * scanned again from the scan cache, and what a build's Scanning stage costs over a cached
 * base. In the same run a baseline only lists the root's files and reads its dpkg database;
 * each scan is printed as a ratio to it, since only ratios compare across machines.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { resolveDebianMirrors } from '../base-images/apt-sources.js';
import { DebianRootCache } from '../base-images/debian-root-cache.js';
import { findOsVersion } from '../domain/catalog/os-catalog.js';
import { importOsvFiles } from '../scanner/advisories/osv-importer.js';
import { parseDpkgStatus } from '../scanner/inventory/dpkg-analyzer.js';
import { ImageScanner } from '../scanner/scan/image-scanner.js';
import type { UngatedScanReport } from '../scanner/scan/scan-report.js';
import { openScanSource } from '../scanner/targets/scan-source.js';
import { openStore } from '../store/open-store.js';
import type { ScanCacheRepository, Store } from '../store/store.js';

const run = promisify(execFile);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
// dist/bench/ → the repository root.
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const VULNDATA = process.env['BENCH_VULNDATA'] ?? path.join(repoRoot, '..', 'shared', 'vulndata');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** The baseline: every file of the root listed, and the dpkg database read and parsed. */
async function listAndReadDpkg(root: string): Promise<number> {
  let files = 0;
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) pending.push(path.join(dir, entry.name));
      else files += 1;
    }
  }
  const status = await readFile(path.join(root, 'var/lib/dpkg/status'), 'utf8');
  return files + parseDpkgStatus(status, 'var/lib/dpkg/status').packages.length;
}

/** Imports the vulndata files in a child process, for its wall time and peak memory. */
async function importInChild(dataDir: string, files: readonly string[]): Promise<void> {
  const started = performance.now();
  const child = spawn(process.execPath, [process.argv[1]!, '--import-child', dataDir, ...files], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`import child exited with ${code}`);
  const result = JSON.parse(output) as { records: number; maxRssKiB: number };
  process.stdout.write(
    `import of ${files.length} files, ${result.records} records: ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
      `peak memory ${(result.maxRssKiB / 1024).toFixed(0)} MiB\n`,
  );
}

async function importChild(dataDir: string, files: string[]): Promise<void> {
  const store = await openStore(`sqlite:${path.join(dataDir, 'goldsmith.db')}`);
  let records = 0;
  for (const file of files) {
    const summary = await importOsvFiles(store, [file], {
      source: path.basename(file).includes('changelog') ? 'debian-security' : 'osv',
    });
    records += summary.imported;
  }
  await store.close();
  process.stdout.write(
    JSON.stringify({ records, maxRssKiB: process.resourceUsage().maxRSS }) + '\n',
  );
}

/** A scan cache in memory: a fresh one is empty, as on a new installation. */
function memoryCache(): ScanCacheRepository {
  const entries = new Map<string, string>();
  return {
    get: (key) => Promise.resolve(entries.get(key)),
    put: (key, result) => {
      entries.set(key, result);
      return Promise.resolve();
    },
    prune: () => Promise.resolve(0),
  };
}

function summary(report: UngatedScanReport): string {
  return `${report.packages.length} packages, ${report.vulnerabilities.length} vulnerabilities, ${report.policy.violations.length} policy violations`;
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'goldsmith-scan-bench-'));
  try {
    const os = findOsVersion('debian-12')!;
    const baseCache =
      process.env['GOLDSMITH_BASE_CACHE'] ?? path.join(repoRoot, '.cache', 'test-bases');
    process.stdout.write('warming up: debian-12 base root (built once, then cached)\n');
    const base = await new DebianRootCache(baseCache).obtain(os, {
      mirrors: await resolveDebianMirrors({}),
      refresh: false,
      onProgress: () => {},
    });

    const dataDir = path.join(work, 'data');
    await mkdir(dataDir, { recursive: true });
    const files = (await readdir(VULNDATA))
      .filter((f) => f.endsWith('.jsonl.xz'))
      .map((f) => path.join(VULNDATA, f));
    await importInChild(dataDir, files);

    const store: Store = await openStore(`sqlite:${path.join(dataDir, 'goldsmith.db')}`);
    const root = base.rootDir;
    const tarball = path.join(work, 'debian-12.tar');
    await run('tar', ['-C', root, '-cf', tarball, '.']);

    // The first build over this base scans it; the measured ones read it from the cache.
    await scanBuildOverBase(store, root, work, RUNS);
    const baseline: number[] = [];
    const cold: number[] = [];
    const imageCold: number[] = [];
    const imageCached: number[] = [];
    const buildStage: number[] = [];
    let described = '';
    for (let i = 0; i < RUNS; i += 1) {
      baseline.push((await timed(() => listAndReadDpkg(root))).ms);

      // Full scan of the root, nothing cached.
      const direct = await timed(() =>
        new ImageScanner({ advisories: store.advisories }).scanSource(
          { target: { kind: 'directory', name: root }, layers: [], directory: root, labels: {} },
          path.join(work, `direct-${i}`),
        ),
      );
      cold.push(direct.ms);
      described = summary(direct.value);

      // A build's Scanning stage: the base from the cache, a small installer overlay.
      buildStage.push((await timed(() => scanBuildOverBase(store, root, work, i))).ms);

      // The root as an image (a root filesystem tar): first with an empty cache, then cached.
      const cache = memoryCache();
      const scanTar = async () => {
        const source = await openScanSource(tarball, { tempDir: work });
        const workDir = await mkdtemp(path.join(work, 'image-'));
        try {
          return await new ImageScanner({ advisories: store.advisories, cache }).scanSource(
            source,
            workDir,
          );
        } finally {
          await source.close();
          await rm(workDir, { recursive: true, force: true });
        }
      };
      imageCold.push((await timed(scanTar)).ms);
      const cached = await timed(scanTar);
      if (!cached.value.layers.every((l) => l.cached))
        throw new Error('second scan missed the cache');
      imageCached.push(cached.ms);
    }
    await store.close();

    const b = median(baseline);
    const line = (label: string, values: number[]) =>
      process.stdout.write(
        `${label.padEnd(44)} ${(median(values) / 1000).toFixed(2).padStart(6)} s   ratio ${(median(values) / b).toFixed(1).padStart(5)}\n`,
      );
    process.stdout.write(`\ndebian-12 base: ${described}; medians of ${RUNS} runs\n`);
    line('baseline: list files + read dpkg database', baseline);
    line('full scan of the root, cold', cold);
    line('image (root tar) scan, empty cache', imageCold);
    line('image (root tar) scan, cached', imageCached);
    line('build Scanning stage, base cached', buildStage);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** What a build's Scanning stage does: scanBuild over the (cached) base and a small overlay. */
async function scanBuildOverBase(store: Store, root: string, work: string, index: number) {
  const dir = path.join(work, `overlay-${index}`);
  const [upper, workDir, merged] = ['upper', 'work', 'merged'].map((d) => path.join(dir, d)) as [
    string,
    string,
    string,
  ];
  for (const d of [upper, workDir, merged]) await mkdir(d, { recursive: true });
  await run('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${root},upperdir=${upper},workdir=${workDir}`,
    merged,
  ]);
  try {
    await mkdir(path.join(merged, 'opt/bench'), { recursive: true });
    await writeFile(path.join(merged, 'opt/bench/installed'), 'benchmark\n');
    return await new ImageScanner({
      advisories: store.advisories,
      cache: store.scanCache,
    }).scanBuild({
      target: { kind: 'build', name: 'bench' },
      baseRoot: root,
      baseLayerDigests: ['sha256:' + 'b'.repeat(64)],
      mergedRoot: merged,
      upperDir: upper,
      installerLayerDigest: `sha256:${String(index).padStart(64, '0')}`,
    });
  } finally {
    await run('umount', [merged]).catch(() => undefined);
  }
}

if (process.argv[2] === '--import-child') {
  await importChild(process.argv[3]!, process.argv.slice(4));
} else {
  await main();
}
