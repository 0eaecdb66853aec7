import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  SandboxCommand,
  SandboxOutcome,
  SandboxPrepareOptions,
  SandboxSession,
} from '../../src/sandbox/sandbox.js';
import { SandboxError } from '../../src/sandbox/sandbox.js';
import { RuncSandbox } from '../../src/sandbox/runc/runc-sandbox.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { obtainSharedDebian12 } from '../base-images/shared-debian-root.js';
import { ENV, LIMITS, runScript, type Ran } from './sandbox-runner.js';

const execFileAsync = promisify(execFile);

const DISK_LIMIT = 1024 * 1024 * 1024;

function run(
  session: SandboxSession,
  script: string,
  overrides: Parameters<typeof runScript>[3] = {},
): Promise<Ran> {
  return runScript(session, '/bin/sh', script, overrides);
}

/**
 * Runs argv and aborts the run (with `stop`) once it printed `readyLines` lines ending in
 * `ready`; returns every line, both streams together, and the outcome.
 */
async function stopOnceReady(
  session: SandboxSession,
  argv: readonly string[],
  readyLines: number,
  stop: SandboxCommand['stop'],
  asInit = false,
): Promise<{ lines: string[]; outcome: SandboxOutcome }> {
  const controller = new AbortController();
  const lines: string[] = [];
  let ready = 0;
  const outcome = await session.run({
    argv,
    env: ENV,
    cwd: '/',
    mounts: [],
    limits: LIMITS,
    inputWaitMs: 0,
    signal: controller.signal,
    ...(stop === undefined ? {} : { stop }),
    asInit,
    onLine: (_stream, text) => {
      lines.push(text);
      if (text.endsWith('ready')) ready += 1;
      if (ready === readyLines) controller.abort();
    },
  });
  return { lines, outcome };
}

function mountInfo(): string {
  return readFileSync('/proc/self/mountinfo', 'utf8');
}

describe('RuncSandbox', () => {
  let baseRoot: string;
  let stateDir: string;
  let sandbox: RuncSandbox;
  let session: SandboxSession;
  let sessionCount = 0;

  async function prepare(options: Partial<SandboxPrepareOptions> = {}): Promise<SandboxSession> {
    sessionCount += 1;
    return sandbox.prepare({
      id: `test-${process.pid}-${sessionCount}`,
      lowerDirs: [baseRoot],
      hostname: 'goldsmith-test',
      diskLimitBytes: DISK_LIMIT,
      ...options,
    });
  }

  beforeAll(async () => {
    await execFileAsync('make', ['-s', '-C', path.join(repoRoot, 'agent')]);
    baseRoot = (await obtainSharedDebian12()).rootDir;
    stateDir = tempDir('sandbox');
    sandbox = new RuncSandbox({ stateDir });
    session = await prepare();
  });

  afterAll(async () => {
    await session?.dispose();
  });

  it('delivers output lines on their own streams, a partial last line included', async () => {
    const ran = await run(session, 'echo out1; echo err1 >&2; hostname; echo out2; printf partial');
    expect(ran.stdout).toEqual(['out1', 'goldsmith-test', 'out2', 'partial']);
    expect(ran.stderr).toEqual(['err1']);
    expect(ran).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
    console.log(`sandbox run, start to exit: ${ran.durationMs} ms`);
  });

  it('writes changes to the upper directory only, deletions as whiteouts', async () => {
    expect(readdirSync(session.upperDir)).toEqual([]);
    expect(existsSync(path.join(baseRoot, 'etc/motd'))).toBe(true);
    const ran = await run(session, 'echo made > /srv/made-by-test && rm /etc/motd');
    expect(ran.exitCode).toBe(0);

    expect(readFileSync(path.join(session.upperDir, 'srv/made-by-test'), 'utf8')).toBe('made\n');
    expect(readFileSync(path.join(session.rootDir, 'srv/made-by-test'), 'utf8')).toBe('made\n');
    expect(existsSync(path.join(baseRoot, 'srv/made-by-test'))).toBe(false);

    const whiteout = lstatSync(path.join(session.upperDir, 'etc/motd'));
    expect(whiteout.isCharacterDevice()).toBe(true);
    expect(whiteout.rdev).toBe(0);
    expect(existsSync(path.join(session.rootDir, 'etc/motd'))).toBe(false);
    expect(existsSync(path.join(baseRoot, 'etc/motd'))).toBe(true);
  });

  it('reports the exit status', async () => {
    expect(await run(session, 'exit 3')).toMatchObject({ exitCode: 3, signal: null });
  });

  it('reports a command that cannot be executed as status 127, not a sandbox failure', async () => {
    const ran = await run(session, '', { argv: ['/no/such/installer'] });
    expect(ran.exitCode).toBe(127);
    expect(ran.stderr.join('\n')).toContain('/no/such/installer');
  });

  it('gives no terminal, and a stdin on which a read waits and is reported', async () => {
    const started = Date.now();
    const ran = await run(
      session,
      'if test -t 0 || test -t 1 || test -t 2; then echo tty; else echo no-tty; fi; ' +
        'echo "Continue? [y/N]"; read answer; echo "got $answer"',
      { inputWaitMs: 1500 },
    );
    expect(ran.stdout).toEqual(['no-tty', 'Continue? [y/N]']);
    expect(ran.inputWait).toMatchObject({ command: expect.stringContaining('read answer') });
    expect(ran.inputWait?.waitedMs).toBeGreaterThanOrEqual(1500);
    expect(ran).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('has no network but loopback', async () => {
    const ran = await run(session, 'ip -o link');
    expect(ran.exitCode).toBe(0);
    expect(ran.stdout).toHaveLength(1);
    expect(ran.stdout[0]).toMatch(/^1: lo: /);
  });

  it('kills a command at the wall-clock limit', async () => {
    const ran = await run(session, 'echo sleeping; sleep 600', {
      limits: { ...LIMITS, wallClockMs: 1000 },
    });
    expect(ran).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    expect(ran.stdout).toEqual(['sleeping']);
    expect(ran.durationMs).toBeGreaterThanOrEqual(1000);
    // The session stays usable after a kill.
    expect((await run(session, 'echo again')).stdout).toEqual(['again']);
  });

  it('kills a command when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const ran = await run(session, 'sleep 600', { signal: controller.signal });
    expect(ran).toMatchObject({ timedOut: false, exitCode: null, signal: 'SIGKILL' });
  });

  it('stops gracefully when asked: the stop signal reaches every process first', async () => {
    const script = [
      'trap "echo main caught TERM; exit 3" TERM',
      // Another process of the sandbox is told too, as an init tells all at shutdown.
      '(trap "echo helper caught TERM; exit 0" TERM; echo helper ready; while :; do sleep 0.1; done) &',
      'echo main ready; while :; do sleep 0.1; done',
    ].join('\n');
    const ran = await stopOnceReady(session, ['/bin/bash', '-c', script], 2, {
      signal: 'TERM',
      graceMs: 60_000,
    });
    expect(ran.outcome).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(ran.lines).toEqual(expect.arrayContaining(['main caught TERM', 'helper caught TERM']));
  });

  it('kills what ignores the stop signal once the grace time is over', async () => {
    const script = 'trap "" TERM; echo ready; while :; do sleep 0.1; done';
    const ran = await stopOnceReady(session, ['/bin/bash', '-c', script], 1, {
      signal: 'TERM',
      graceMs: 500,
    });
    expect(ran.outcome).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false });
    expect(ran.outcome.durationMs).toBeGreaterThanOrEqual(500);
  });

  it('runs an init as PID 1 with a terminal for its console', async () => {
    const ran = await stopOnceReady(
      session,
      [
        '/bin/bash',
        '-c',
        'echo "pid $$"; tty; test -c /dev/console && echo console; echo to-stderr >&2; echo ready; exec sleep 600',
      ],
      1,
      { signal: 'KILL', graceMs: 0 },
      true,
    );
    // Both streams are the terminal: everything arrives in order on stdout.
    expect(ran.lines.slice(0, 4)).toEqual(['pid 1', '/dev/pts/0', 'console', 'to-stderr']);
    expect(ran.outcome).toMatchObject({ exitCode: null, signal: 'SIGKILL', reboot: null });
    const exited = await runScript(session, '/bin/sh', 'echo "pid $$"; exit 4', { asInit: true });
    expect(exited).toMatchObject({ exitCode: 4, stdout: ['pid 1'], stderr: [] });
  });

  it('stops a fork loop at the pids limit without harming the host', async () => {
    const ran = await run(
      session,
      'i=0; while [ $i -lt 200 ]; do sleep 61.25 & i=$((i+1)); echo $i; done',
      { limits: { ...LIMITS, pids: 32 } },
    );
    const started = ran.stdout.length;
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThan(32);
    expect(ran.exitCode).not.toBe(0);
    expect(ran.stderr.join('\n')).toMatch(/fork|Resource temporarily unavailable/i);
    expect(ran.limitsHit).toEqual({ memory: false, processes: true, disk: false });
    // The sleepers died with the container's PID namespace; the host can still fork.
    const { stdout } = await execFileAsync('ps', ['-eo', 'args']);
    expect(stdout).not.toContain('sleep 61.25');
  });

  it('kills a memory hog at the memory limit', async () => {
    const ran = await run(session, 'tail /dev/zero', {
      limits: { ...LIMITS, memoryBytes: 64 * 1024 * 1024 },
    });
    // dash reports the killed tail as status 137; the memory cgroup's OOM counter says why.
    expect(ran.exitCode === 137 || ran.signal === 'SIGKILL').toBe(true);
    expect(ran).toMatchObject({ timedOut: false, limitsHit: { memory: true, processes: false } });
  });

  it('bind-mounts host directories, read-only when asked, without leaving mount points', async () => {
    const hostDir = tempDir('bind');
    writeFileSync(path.join(hostDir, 'payload.txt'), 'payload\n');
    const mounts = [
      { source: hostDir, destination: '/run/goldsmith/packages', readOnly: true },
      { source: hostDir, destination: '/opt/goldsmith-test/rw', readOnly: false },
    ];
    const ran = await run(
      session,
      'cat /run/goldsmith/packages/payload.txt; touch /run/goldsmith/packages/x 2>/dev/null || echo read-only; ' +
        'echo written > /opt/goldsmith-test/rw/out.txt',
      { mounts },
    );
    expect(ran.stdout).toEqual(['payload', 'read-only']);
    expect(readFileSync(path.join(hostDir, 'out.txt'), 'utf8')).toBe('written\n');
    expect(existsSync(path.join(session.upperDir, 'opt/goldsmith-test'))).toBe(false);
    expect(existsSync(path.join(session.upperDir, 'run'))).toBe(false);
  });

  it('throws SandboxError when the sandbox itself cannot be made', async () => {
    await expect(
      sandbox.prepare({
        id: 'bad-lower',
        lowerDirs: ['/nonexistent/root'],
        hostname: 'x',
        diskLimitBytes: DISK_LIMIT,
      }),
    ).rejects.toBeInstanceOf(SandboxError);
    expect(existsSync(path.join(stateDir, 'bad-lower'))).toBe(false);
    await expect(
      sandbox.prepare({
        id: '../escape',
        lowerDirs: [baseRoot],
        hostname: 'x',
        diskLimitBytes: DISK_LIMIT,
      }),
    ).rejects.toBeInstanceOf(SandboxError);
    // runc refuses a memory limit below what the container needs to start.
    await expect(
      run(session, 'true', { limits: { ...LIMITS, memoryBytes: 4096 } }),
    ).rejects.toBeInstanceOf(SandboxError);
  });

  it('disposes: unmounts, removes the session directory, and can be called again', async () => {
    const started = Date.now();
    const own = await prepare();
    const sessionDir = path.dirname(own.upperDir);
    expect(mountInfo()).toContain(sessionDir);
    const ran = await run(own, 'true');
    await own.dispose();
    console.log(
      `prepare + run /bin/true + dispose: ${Date.now() - started} ms (run ${ran.durationMs} ms)`,
    );
    expect(mountInfo()).not.toContain(sessionDir);
    expect(existsSync(sessionDir)).toBe(false);
    await own.dispose();
    await expect(run(own, 'true')).rejects.toBeInstanceOf(SandboxError);
  });

  it('cleans up a session whose owner process died, and only that one', async () => {
    const id = `stale-${process.pid}`;
    const child = spawn(
      path.join(repoRoot, 'node_modules/.bin/vite-node'),
      [path.join(repoRoot, 'test/sandbox/stale-session-child.ts'), stateDir, baseRoot, id],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        if (chunk.includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const sessionDir = path.join(stateDir, id);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    // The container outlived its owner.
    const runcRoot = path.join(stateDir, '.runc');
    const { stdout: before } = await execFileAsync('runc', ['--root', runcRoot, 'list', '-q']);
    expect(before.split('\n')).toContain(id);
    expect(mountInfo()).toContain(sessionDir);
    const loops = async (): Promise<string> => (await execFileAsync('losetup', ['-a'])).stdout;
    expect(await loops()).toContain(sessionDir);

    const cleaned = await sandbox.cleanupStale();
    expect(cleaned).toEqual([id]);
    expect(existsSync(sessionDir)).toBe(false);
    expect(mountInfo()).not.toContain(sessionDir);
    expect(await loops()).not.toContain(sessionDir);
    const { stdout: after } = await execFileAsync('runc', ['--root', runcRoot, 'list', '-q']);
    expect(after.split('\n')).not.toContain(id);
    // This process's own session is alive and untouched.
    expect((await run(session, 'echo alive')).stdout).toEqual(['alive']);
  });

  it('treats an old session directory without an owner as stale', async () => {
    const orphan = path.join(stateDir, 'orphan-without-owner');
    mkdirSync(path.join(orphan, 'disk'), { recursive: true });
    // A loop device its dead owner attached but never mounted.
    const image = path.join(orphan, 'disk.img');
    await execFileAsync('truncate', ['-s', '16M', image]);
    await execFileAsync('losetup', ['--find', image]);
    await execFileAsync('touch', ['-d', '2 minutes ago', orphan]);
    expect(await sandbox.cleanupStale()).toEqual(['orphan-without-owner']);
    expect(existsSync(orphan)).toBe(false);
    expect((await execFileAsync('losetup', ['-a'])).stdout).not.toContain(orphan);
  });
});
