import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOsVersion } from '../../src/domain/catalog/os-catalog.js';
import type { OsVersion } from '../../src/domain/catalog/os-catalog.js';
import { INSTALLER_EXTENSIONS } from '../../src/domain/package-groups/package-group-rules.js';
import { findInstallerRunner, INSTALLER_RUNNERS } from '../../src/installers/installer-registry.js';
import type { InstallerRunner } from '../../src/installers/installer-runner.js';
import { RuncSandbox } from '../../src/sandbox/runc/runc-sandbox.js';
import type { SandboxOutcome, SandboxSession } from '../../src/sandbox/sandbox.js';
import { debian12, obtainSharedDebian12 } from '../base-images/shared-debian-root.js';
import { repoRoot, tempDir } from '../support/paths.js';

const execFileAsync = promisify(execFile);

/** Where the pipeline stages a group's packages inside the sandbox. */
const PACKAGE_DIR = '/run/goldsmith/packages';
const LIMITS = { memoryBytes: 1024 * 1024 * 1024, pids: 512, cpus: 1, wallClockMs: 120_000 };

interface Installed extends SandboxOutcome {
  readonly output: string[];
  readonly session: SandboxSession;
}

/** Builds a real .deb with dpkg-deb from a control paragraph and files. */
async function buildDeb(
  outDir: string,
  control: Record<string, string>,
  files: Record<string, { content: string; mode?: number }>,
): Promise<string> {
  const name = control['Package'] ?? 'pkg';
  const tree = tempDir(`deb-${name}`);
  mkdirSync(path.join(tree, 'DEBIAN'));
  const paragraph = Object.entries({
    Architecture: 'all',
    Maintainer: 'Test <t@example.invalid>',
    ...control,
  })
    .map(([field, value]) => `${field}: ${value}`)
    .join('\n');
  writeFileSync(path.join(tree, 'DEBIAN', 'control'), `${paragraph}\n`);
  for (const [file, { content, mode }] of Object.entries(files)) {
    const target = path.join(tree, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, mode ?? 0o644);
  }
  const debPath = path.join(outDir, `${name}_${control['Version']}_all.deb`);
  await execFileAsync('dpkg-deb', ['--root-owner-group', '--build', tree, debPath]);
  return debPath;
}

describe('Linux installer runners', () => {
  let baseRoot: string;
  let sandbox: RuncSandbox;
  let os: OsVersion;
  const sessions: SandboxSession[] = [];

  beforeAll(async () => {
    await execFileAsync('make', ['-s', '-C', path.join(repoRoot, 'agent')]);
    baseRoot = (await obtainSharedDebian12()).rootDir;
    sandbox = new RuncSandbox({ stateDir: tempDir('installers') });
    os = debian12();
  });

  afterAll(async () => {
    for (const session of sessions) await session.dispose();
  });

  /** Stages a group's files as the pipeline does (installers executable) and runs the installer. */
  async function install(files: readonly string[], installerName: string): Promise<Installed> {
    const runner = findInstallerRunner('linux', installerName);
    if (runner === undefined) throw new Error(`no runner for ${installerName}`);
    const staging = tempDir('staged');
    for (const file of files) {
      const staged = path.join(staging, path.basename(file));
      copyFileSync(file, staged);
      if (path.basename(file) === installerName) chmodSync(staged, 0o755);
    }
    expect(await runner.inspect(path.join(staging, installerName))).toBeUndefined();
    const plan = runner.plan({
      installerPath: `${PACKAGE_DIR}/${installerName}`,
      packagePaths: files.map((file) => `${PACKAGE_DIR}/${path.basename(file)}`),
      os,
    });
    const session = await sandbox.prepare({
      id: `installer-${process.pid}-${sessions.length + 1}`,
      lowerDirs: [baseRoot],
      hostname: 'goldsmith-build',
      diskLimitBytes: 2 * 1024 * 1024 * 1024,
    });
    sessions.push(session);
    const output: string[] = [];
    const outcome = await session.run({
      argv: plan.argv,
      env: plan.env,
      cwd: PACKAGE_DIR,
      mounts: [{ source: staging, destination: PACKAGE_DIR, readOnly: true }],
      limits: LIMITS,
      inputWaitMs: 10_000,
      onLine: (stream, text) => output.push(`${stream}: ${text}`),
    });
    return { ...outcome, output, session };
  }

  it('runs a .sh without #! with /bin/sh, in the installer environment', async () => {
    const dir = tempDir('sh');
    const script = path.join(dir, 'setup.sh');
    writeFileSync(script, 'echo "shell: $0"\nenv | sort\necho done > /root/sh-ran\n');
    const ran = await install([script], 'setup.sh');
    expect(ran.exitCode).toBe(0);
    expect(ran.output).toContain(`stdout: shell: ${PACKAGE_DIR}/setup.sh`);
    expect(ran.output).toContain('stdout: DEBIAN_FRONTEND=noninteractive');
    expect(ran.output).toContain('stdout: HOME=/root');
    expect(ran.output).toContain('stdout: LANG=C.UTF-8');
    expect(ran.output.some((line) => line.startsWith('stdout: TERM='))).toBe(false);
    expect(readFileSync(path.join(ran.session.upperDir, 'root/sh-ran'), 'utf8')).toBe('done\n');
  });

  it('runs a .sh with #! through its own interpreter', async () => {
    const dir = tempDir('sh-bash');
    const script = path.join(dir, 'setup.sh');
    // [[ ]] is bash syntax that /bin/sh (dash) rejects.
    writeFileSync(
      script,
      '#!/bin/bash\nif [[ -n "$BASH_VERSION" ]]; then echo "bash $BASH_VERSION"; fi\nexit 4\n',
    );
    const ran = await install([script], 'setup.sh');
    expect(ran.exitCode).toBe(4);
    expect(ran.output.some((line) => /^stdout: bash 5\./.test(line))).toBe(true);
  });

  it('runs a .run self-extractor: ELF directly, plain text with /bin/sh', async () => {
    const dir = tempDir('run');
    const elf = path.join(dir, 'tool.run');
    copyFileSync(path.join(baseRoot, 'usr/bin/id'), elf);
    const ranElf = await install([elf], 'tool.run');
    expect(ranElf.exitCode).toBe(0);
    expect(ranElf.output).toEqual(['stdout: uid=0(root) gid=0(root) groups=0(root)']);

    const text = path.join(dir, 'plain.run');
    writeFileSync(text, 'echo "payload extracted by $0"\n');
    const ranText = await install([text], 'plain.run');
    expect(ranText.output).toEqual([`stdout: payload extracted by ${PACKAGE_DIR}/plain.run`]);
  });

  it('runs an ELF .exe directly', async () => {
    const dir = tempDir('exe');
    const exe = path.join(dir, 'installer.exe');
    copyFileSync(path.join(baseRoot, 'usr/bin/id'), exe);
    const ran = await install([exe], 'installer.exe');
    expect(ran.exitCode).toBe(0);
    expect(ran.output).toEqual(['stdout: uid=0(root) gid=0(root) groups=0(root)']);
  });

  it('refuses a Windows .exe with INSTALLER_PLATFORM_MISMATCH', async () => {
    const exe = path.join(tempDir('pe'), 'Setup.exe');
    writeFileSync(
      exe,
      Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120)]),
    );
    const finding = await findInstallerRunner('linux', 'Setup.exe')?.inspect(exe);
    expect(finding).toMatchObject({
      code: 'INSTALLER_PLATFORM_MISMATCH',
      severity: 'high',
      evidence: { file: 'Setup.exe', firstBytesHex: '4d5a9000030000000000000000000000' },
    });
    expect(finding?.evidence['looksLike']).toContain('Windows PE');
    expect(finding?.message).toContain('Setup.exe');
    expect(finding?.remedy).toMatch(/ELF/);
  });

  it('installs a .deb with apt-get, resolving its dependency on another .deb of the group', async () => {
    const dir = tempDir('debs');
    const lib = await buildDeb(
      dir,
      { Package: 'goldsmith-test-lib', Version: '1.0', Description: 'test library' },
      { 'usr/share/goldsmith-test-lib/lib.txt': { content: 'lib\n' } },
    );
    const app = await buildDeb(
      dir,
      {
        Package: 'goldsmith-test-app',
        Version: '2.0',
        Depends: 'goldsmith-test-lib (>= 1.0)',
        Description: 'test application',
      },
      {
        'usr/bin/goldsmith-test-app': { content: '#!/bin/sh\necho app\n', mode: 0o755 },
        'etc/goldsmith-test-app.conf': { content: 'setting=1\n' },
        'DEBIAN/postinst': {
          content:
            '#!/bin/sh\nset -e\nmkdir -p /var/lib/goldsmith-test-app\necho configured > /var/lib/goldsmith-test-app/state\n',
          mode: 0o755,
        },
      },
    );
    expect(await findInstallerRunner('linux', 'x.deb')?.inspect(app)).toBeUndefined();

    const ran = await install([app, lib], path.basename(app));
    expect(ran.output.join('\n')).toContain('Setting up goldsmith-test-app (2.0)');
    expect(ran.exitCode).toBe(0);
    const upper = ran.session.upperDir;
    expect(existsSync(path.join(upper, 'usr/bin/goldsmith-test-app'))).toBe(true);
    expect(existsSync(path.join(upper, 'usr/share/goldsmith-test-lib/lib.txt'))).toBe(true);
    expect(readFileSync(path.join(upper, 'var/lib/goldsmith-test-app/state'), 'utf8')).toBe(
      'configured\n',
    );
    const status = readFileSync(path.join(ran.session.rootDir, 'var/lib/dpkg/status'), 'utf8');
    for (const pkg of ['goldsmith-test-app', 'goldsmith-test-lib']) {
      expect(status).toMatch(new RegExp(`Package: ${pkg}\\nStatus: install ok installed`));
    }
  });

  it('refuses a file that is not a Debian package with INSTALLER_NOT_DEB', async () => {
    const fake = path.join(tempDir('fake-deb'), 'app.deb');
    writeFileSync(fake, 'PK\x03\x04not a deb');
    const finding = await findInstallerRunner('linux', 'app.deb')?.inspect(fake);
    expect(finding).toMatchObject({ code: 'INSTALLER_NOT_DEB', severity: 'high' });
    expect(finding?.evidence['looksLike']).toBe('a ZIP archive');
  });

  it('says why .rpm cannot install on Debian', () => {
    const rpm = findInstallerRunner('linux', 'agent.rpm');
    expect(rpm?.incompatibility(os)).toMatch(/RPM-based/);
    expect(findInstallerRunner('linux', 'agent.deb')?.incompatibility(os)).toBeUndefined();
    const rhel: OsVersion = {
      ...os,
      id: 'rhel-9',
      name: 'RHEL 9',
      family: 'rhel',
      packageFormat: 'rpm',
    };
    expect(rpm?.incompatibility(rhel)).toBeUndefined();
    expect(findInstallerRunner('linux', 'agent.deb')?.incompatibility(rhel)).toMatch(
      /Debian-based/,
    );
    const plan = rpm?.plan({
      installerPath: '/p/agent.rpm',
      packagePaths: ['/p/agent.rpm', '/p/dep.rpm', '/p/readme.txt'],
      os: rhel,
    });
    expect(plan?.argv.slice(-2)).toEqual(['/p/agent.rpm', '/p/dep.rpm']);
  });

  it('has one runner per Linux installer extension the package group rules allow', () => {
    const linux = INSTALLER_RUNNERS.filter(
      (runner: InstallerRunner) => runner.platform === 'linux',
    );
    expect(linux.map((runner) => runner.extension).sort()).toEqual(
      [...INSTALLER_EXTENSIONS.linux].sort(),
    );
    expect(findInstallerRunner('linux', 'SETUP.SH')?.extension).toBe('.sh');
    expect(findInstallerRunner('linux', 'notes.txt')).toBeUndefined();
    expect(findOsVersion('debian-12')).toBe(os);
  });
});
