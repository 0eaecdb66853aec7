/**
 * Submit → Successful wall time of a trivial .sh installer on a cached
 * debian-12 base, with each phase, then the same install done by buildah on
 * the same base root, and the ratio Goldsmith / buildah. Figures only: both
 * run in this process's machine in the same run, so the ratio is what to read.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import { ApiClient } from '../cli/api-client.js';
import { buildConfig } from '../config/config.js';
import type { PackageGroupView } from '../domain/package-groups/package-group-service.js';
import { isFinalState } from '../domain/package-groups/group-state.js';
import { BUILD_PHASES, type OsBuild, type StoredPackage } from '../domain/types.js';
import { startGoldsmith } from '../server/goldsmith-server.js';

const run = promisify(execFile);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const OS = 'debian-12';
const INSTALLER =
  '#!/bin/sh\nset -e\nmkdir -p /opt/bench\necho "benchmark" > /opt/bench/installed\n';
// dist/bench/ → the repository root.
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2).padStart(6);
}

async function submitAndWait(
  client: ApiClient,
  installerFile: string,
  name: string,
): Promise<{ wallMs: number; build: OsBuild }> {
  const started = performance.now();
  const pkg = await client.uploadPackage<StoredPackage>(installerFile);
  const group = await client.request<PackageGroupView>('POST', '/v1/package-groups', {
    name,
    platform: 'linux',
    osVersions: [OS],
    packages: [{ packageId: pkg.id, installer: true }],
  });
  for (;;) {
    const current = await client.request<PackageGroupView>('GET', `/v1/package-groups/${group.id}`);
    const build = current.builds[0]!;
    if (isFinalState(build.state)) {
      if (build.state !== 'Successful')
        throw new Error(`${name} ended ${build.state}: ${JSON.stringify(build.findings)}`);
      return { wallMs: performance.now() - started, build };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function phaseMs(build: OsBuild, phase: (typeof BUILD_PHASES)[number]): number {
  const timing = build.phases[phase];
  return timing?.finishedAt ? Date.parse(timing.finishedAt) - Date.parse(timing.startedAt) : 0;
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'goldsmith-bench-'));
  const config = buildConfig({
    dataDir: path.join(work, 'data'),
    baseCacheDir:
      process.env['GOLDSMITH_BASE_CACHE'] ?? path.join(repoRoot, '.cache', 'test-bases'),
    host: '127.0.0.1',
    port: 0,
    workers: 1,
  });
  const server = await startGoldsmith(config);
  try {
    const operator = new ApiClient(server.url, server.operatorToken!);
    const seller = await operator.request<{ token: string }>('POST', '/v1/accounts', {
      name: 'Bench',
      roles: ['seller'],
    });
    const client = new ApiClient(server.url, seller.token);
    const installerFile = path.join(work, 'install.sh');
    await writeFile(installerFile, INSTALLER, { mode: 0o755 });

    process.stdout.write(`warming up: base image ${OS} (built once, then cached)\n`);
    const warm = await submitAndWait(client, installerFile, 'bench_warmup');
    process.stdout.write(
      `warm-up build: ${seconds(warm.wallMs)} s, of which base ${seconds(phaseMs(warm.build, 'base'))} s (a new database adopting the cached root)\n`,
    );

    process.stdout.write(`\nGoldsmith: submit → Successful, ${RUNS} runs (seconds)\n`);
    process.stdout.write(
      `run   total   queued${BUILD_PHASES.map((p) => p.padStart(8)).join('')}\n`,
    );
    const goldsmith: number[] = [];
    const installMs: number[] = [];
    const checksMs: number[] = [];
    for (let i = 1; i <= RUNS; i += 1) {
      const { wallMs, build } = await submitAndWait(client, installerFile, `bench_run_${i}`);
      goldsmith.push(wallMs);
      installMs.push(phaseMs(build, 'install'));
      // What the installer rules add: the sink network, and the checks after the run.
      checksMs.push(phaseMs(build, 'network') + phaseMs(build, 'checks'));
      process.stdout.write(
        `${String(i).padStart(3)} ${seconds(wallMs)}   ${seconds(Date.parse(build.startedAt ?? build.submittedAt) - Date.parse(build.submittedAt))}` +
          `${BUILD_PHASES.map((p) => `  ${seconds(phaseMs(build, p))}`).join('')}\n`,
      );
    }

    // The same base for buildah: Goldsmith's own base image as an OCI archive.
    const baseArchive = path.join(work, 'base.oci.tar');
    await pipeline(
      await client.download(`/v1/images/${warm.build.baseImageId}/oci-archive`),
      createWriteStream(baseArchive),
    );
    const storage = [
      '--root',
      path.join(work, 'buildah-storage'),
      '--runroot',
      path.join(work, 'buildah-run'),
      '--storage-driver',
      'overlay',
    ];
    await run('buildah', [...storage, 'pull', '--quiet', `oci-archive:${baseArchive}`]);
    const { stdout: images } = await run('buildah', [...storage, 'images', '--quiet']);
    const baseId = images.trim().split('\n')[0]!;
    const context = path.join(work, 'context');
    await run('mkdir', ['-p', context]);
    await writeFile(path.join(context, 'install.sh'), INSTALLER, { mode: 0o755 });
    await writeFile(
      path.join(context, 'Containerfile'),
      `FROM ${baseId}\nCOPY install.sh /tmp/install.sh\nRUN /bin/sh /tmp/install.sh\n`,
    );

    process.stdout.write(
      `\nbuildah bud (runc, network none) of the same install on the same base, ${RUNS} runs\n`,
    );
    const buildah: number[] = [];
    for (let i = 1; i <= RUNS; i += 1) {
      const started = performance.now();
      await run('buildah', [
        ...storage,
        'bud',
        '--quiet',
        '--isolation',
        'oci',
        '--runtime',
        '/usr/sbin/runc',
        '--network',
        'none',
        '--layers=false',
        '-t',
        `bench-${i}`,
        '-f',
        path.join(context, 'Containerfile'),
        context,
      ]);
      const ms = performance.now() - started;
      buildah.push(ms);
      process.stdout.write(`${String(i).padStart(3)} ${seconds(ms)}\n`);
    }

    const g = median(goldsmith);
    const b = median(buildah);
    process.stdout.write(
      `\ninstaller rules: ${seconds(median(checksMs))} s per build (sink network + checks), next to a bare install of ${seconds(median(installMs))} s (medians)\n`,
    );
    process.stdout.write(`median Goldsmith ${seconds(g)} s, median buildah ${seconds(b)} s\n`);
    process.stdout.write(`ratio Goldsmith / buildah: ${(g / b).toFixed(2)}\n`);
    await run('buildah', [...storage, 'rmi', '--all', '--force']).catch(() => undefined);
  } finally {
    await server.stop();
    // buildah's overlay driver leaves its storage mounted on itself.
    await run('umount', [path.join(work, 'buildah-storage', 'overlay')]).catch(() => undefined);
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

await main();
