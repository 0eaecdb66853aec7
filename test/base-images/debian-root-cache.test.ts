import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DebianMirrors } from '../../src/base-images/apt-sources.js';
import { DebianRootCache } from '../../src/base-images/debian-root-cache.js';
import type { DebianRoot } from '../../src/base-images/debian-root-cache.js';
import { debianRecipe, recipeKey } from '../../src/base-images/debian-recipe.js';
import { MmdebstrapError } from '../../src/base-images/mmdebstrap-runner.js';
import { repoRoot, tempDir, testBaseCacheDir } from '../support/paths.js';
import { debian12, testMirrors } from './shared-debian-root.js';

const run = promisify(execFile);

/** Completed roots of a recipe in a cache: directories with the completion marker. */
function completedRoots(cacheDir: string, mirrors: DebianMirrors): string[] {
  const keyDir = path.join(cacheDir, 'debian-12', recipeKey(debianRecipe(debian12(), mirrors)));
  if (!existsSync(keyDir)) return [];
  return readdirSync(keyDir).filter((name) => existsSync(path.join(keyDir, name, 'meta.json')));
}

async function obtainInChildProcess(cacheDir: string): Promise<DebianRoot> {
  const { stdout } = await run(
    path.join(repoRoot, 'node_modules/.bin/vite-node'),
    [path.join(repoRoot, 'test/base-images/obtain-root-child.ts'), cacheDir],
    { cwd: repoRoot, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as DebianRoot;
}

describe('DebianRootCache', () => {
  let mirrors: DebianMirrors;
  let shared: DebianRoot;

  beforeAll(async () => {
    mirrors = await testMirrors();
  });

  it('builds the debian-12 root once when processes ask at the same time', async () => {
    const before = completedRoots(testBaseCacheDir, mirrors).length;
    const progress: string[] = [];
    const cache = new DebianRootCache(testBaseCacheDir);
    const started = Date.now();
    const results = await Promise.all([
      obtainInChildProcess(testBaseCacheDir),
      obtainInChildProcess(testBaseCacheDir),
      cache.obtain(debian12(), { mirrors, refresh: false, onProgress: (l) => progress.push(l) }),
      cache.obtain(debian12(), { mirrors, refresh: false, onProgress: (l) => progress.push(l) }),
    ]);
    const seconds = (Date.now() - started) / 1000;
    shared = results[2] as DebianRoot;
    const builds = results.filter((result) => !result.reused).length;
    console.log(`debian-12 obtained by 4 callers in ${seconds.toFixed(1)} s, ${builds} build(s)`);

    expect(new Set(results.map((result) => result.rootDir)).size).toBe(1);
    expect(builds).toBeLessThanOrEqual(1);
    // Whoever built it (maybe another test file's process), there is exactly one root now.
    expect(completedRoots(testBaseCacheDir, mirrors).length).toBe(Math.max(before, 1));
    if (!(results[2] as DebianRoot).reused || !(results[3] as DebianRoot).reused) {
      expect(progress.some((line) => line.includes('success'))).toBe(true);
    }
    expect(shared.recipeKey).toBe(recipeKey(debianRecipe(debian12(), mirrors)));
    expect(shared.recipe).toMatchObject({ suite: 'bookworm', variant: 'minbase' });
  });

  it('holds a bootable server root with curl, sshd and a dpkg database', () => {
    const root = shared.rootDir;
    expect(statSync(path.join(root, 'usr/bin/curl')).isFile()).toBe(true);
    expect(statSync(path.join(root, 'usr/sbin/sshd')).isFile()).toBe(true);
    const status = readFileSync(path.join(root, 'var/lib/dpkg/status'), 'utf8');
    for (const pkg of ['openssh-server', 'curl', 'systemd-sysv', 'sudo', 'iproute2']) {
      expect(status).toContain(`Package: ${pkg}\n`);
    }
    // bookworm is bootstrapped merged-/usr without the usrmerge package (and its perl).
    expect(status).not.toContain('Package: usrmerge\n');
    expect(
      readdirSync(path.join(root, 'var/lib/apt/lists')).filter((n) => n.endsWith('_Packages')),
    ).toEqual([]);
    expect(readFileSync(path.join(root, 'etc/hostname'), 'utf8')).toBe('localhost\n');
    const meta: unknown = JSON.parse(readFileSync(path.join(root, '..', 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ osVersion: 'debian-12', recipeKey: shared.recipeKey });
  });

  it('reuses the cached root quickly', async () => {
    const started = Date.now();
    const again = await new DebianRootCache(testBaseCacheDir).obtain(debian12(), {
      mirrors,
      refresh: false,
      onProgress: () => {
        throw new Error('a reused root must not be rebuilt');
      },
    });
    expect(again).toEqual({ ...shared, reused: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  /**
   * Another process holds the recipe's lock for a while and completes a root under it, as a
   * concurrent builder does; the marker's createdAt is taken when it is written.
   */
  async function completeRootInAnotherProcess(
    keyDir: string,
    holdSeconds: number,
  ): Promise<string> {
    const rootDir = path.join(keyDir, 'other-process-root');
    const script =
      'echo locked; sleep "$2"; mkdir -p "$1/rootfs" && ' +
      'printf \'{"osVersion":"debian-12","recipeKey":"k","recipe":{},"createdAt":"%s","buildMs":1}\' ' +
      '"$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" > "$1/meta.json"';
    const holder = spawn(
      'flock',
      [path.join(keyDir, '.lock'), 'sh', '-c', script, 'sh', rootDir, String(holdSeconds)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    return path.join(rootDir, 'rootfs');
  }

  it('waits for another process that holds the lock and reuses the root it made', async () => {
    const cacheDir = tempDir('lock-wait');
    const keyDir = path.join(cacheDir, 'debian-12', recipeKey(debianRecipe(debian12(), mirrors)));
    mkdirSync(keyDir, { recursive: true });
    const otherRoot = await completeRootInAnotherProcess(keyDir, 1.5);
    const started = Date.now();
    // Any attempt to build would fail: the root must come from the other process.
    const root = await new DebianRootCache(cacheDir, { mmdebstrapPath: '/bin/false' }).obtain(
      debian12(),
      {
        mirrors,
        refresh: false,
        onProgress: () => {},
      },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(root).toMatchObject({ rootDir: otherRoot, reused: true });
  });

  it('refresh builds anew unless a root was completed after the call began', async () => {
    const cacheDir = tempDir('refresh');
    const keyDir = path.join(cacheDir, 'debian-12', recipeKey(debianRecipe(debian12(), mirrors)));
    mkdirSync(keyDir, { recursive: true });
    const cache = new DebianRootCache(cacheDir, { mmdebstrapPath: '/bin/false' });
    // A root completed while this refresh waited for the lock is the refreshed root.
    const fresh = await completeRootInAnotherProcess(keyDir, 1);
    const refreshed = await cache.obtain(debian12(), {
      mirrors,
      refresh: true,
      onProgress: () => {},
    });
    expect(refreshed).toMatchObject({ rootDir: fresh, reused: true });
    // A later refresh must build (and here fails, as the build tool is /bin/false).
    await expect(
      cache.obtain(debian12(), { mirrors, refresh: true, onProgress: () => {} }),
    ).rejects.toBeInstanceOf(MmdebstrapError);
    expect(
      (await cache.obtain(debian12(), { mirrors, refresh: false, onProgress: () => {} })).rootDir,
    ).toBe(fresh);
  });

  it('fails with mmdebstrap’s complaint for an unreachable mirror and leaves nothing behind', async () => {
    const cacheDir = tempDir('bad-mirror');
    const badMirrors = { archive: 'http://127.0.0.1:9/debian', security: undefined };
    const keyDir = path.join(
      cacheDir,
      'debian-12',
      recipeKey(debianRecipe(debian12(), badMirrors)),
    );
    // Leftovers of interrupted builds: a work directory and a root without its marker.
    mkdirSync(path.join(keyDir, '.building-1-1', 'rootfs'), { recursive: true });
    mkdirSync(path.join(keyDir, '2020-01-01T00-00-00.000Z', 'rootfs'), { recursive: true });
    writeFileSync(path.join(keyDir, '2020-01-01T00-00-00.000Z', 'rootfs', 'half'), '');

    const error = await new DebianRootCache(cacheDir)
      .obtain(debian12(), { mirrors: badMirrors, refresh: false, onProgress: () => {} })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(MmdebstrapError);
    const message = (error as Error).message;
    expect(message).toContain('debian-12');
    expect(message).toMatch(/127\.0\.0\.1:9/);
    expect(message).toMatch(/Could not connect|Connection refused|Failed to fetch/);
    expect(readdirSync(keyDir)).toEqual(['.lock']);
  });

  it('stops mmdebstrap and removes its work when aborted', async () => {
    const cacheDir = tempDir('abort');
    const controller = new AbortController();
    const lines: string[] = [];
    const pending = new DebianRootCache(cacheDir).obtain(debian12(), {
      mirrors,
      refresh: false,
      signal: controller.signal,
      onProgress: (line) => {
        lines.push(line);
        // Abort once packages are being fetched, i.e. in the middle of the bootstrap.
        if (line.startsWith('I: downloading packages')) controller.abort();
      },
    });
    await expect(pending).rejects.toThrow(/abort/i);
    expect(lines.some((line) => line.startsWith('I: downloading packages'))).toBe(true);
    const keyDir = path.join(cacheDir, 'debian-12', recipeKey(debianRecipe(debian12(), mirrors)));
    expect(readdirSync(keyDir)).toEqual(['.lock']);
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout).not.toContain(cacheDir);
  });
});
