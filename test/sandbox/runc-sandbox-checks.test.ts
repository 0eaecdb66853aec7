// The installer checks of the runc sandbox (input waits, leftovers, reboots, limits) and escape
// attempts, against real runc and the shared debian-12 root (which has systemd-sysv installed).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuncSandbox } from '../../src/sandbox/runc/runc-sandbox.js';
import type { SandboxPrepareOptions, SandboxSession } from '../../src/sandbox/sandbox.js';
import { obtainSharedDebian12 } from '../base-images/shared-debian-root.js';
import { LIMITS, runScript, type Ran } from './sandbox-runner.js';
import { repoRoot, tempDir } from '../support/paths.js';

const execFileAsync = promisify(execFile);

const MiB = 1024 * 1024;

function run(
  session: SandboxSession,
  script: string,
  overrides: Parameters<typeof runScript>[3] = {},
): Promise<Ran> {
  return runScript(session, '/bin/bash', script, { inputWaitMs: 1500, ...overrides });
}

describe('RuncSandbox checks', () => {
  let baseRoot: string;
  let sandbox: RuncSandbox;
  let session: SandboxSession;
  const sessions: SandboxSession[] = [];

  async function prepare(options: Partial<SandboxPrepareOptions> = {}): Promise<SandboxSession> {
    const prepared = await sandbox.prepare({
      id: `checks-${process.pid}-${sessions.length + 1}`,
      lowerDirs: [baseRoot],
      hostname: 'goldsmith-checks',
      diskLimitBytes: 512 * MiB,
      ...options,
    });
    sessions.push(prepared);
    return prepared;
  }

  beforeAll(async () => {
    await execFileAsync('make', ['-s', '-C', path.join(repoRoot, 'agent')]);
    baseRoot = (await obtainSharedDebian12()).rootDir;
    sandbox = new RuncSandbox({ stateDir: tempDir('sandbox-checks') });
    session = await prepare();
  });

  afterAll(async () => {
    for (const prepared of sessions) await prepared.dispose();
  });

  describe('input waits', () => {
    it('reports an installer blocked reading its standard input, with its prompt on stdout', async () => {
      const ran = await run(session, 'echo "Enter licence key:"; read x; echo "key $x"');
      expect(ran.stdout).toEqual(['Enter licence key:']);
      expect(ran.inputWait?.command).toContain('read x');
      expect(ran.inputWait?.waitedMs).toBeGreaterThanOrEqual(1500);
      expect(ran).toMatchObject({ exitCode: null, signal: 'SIGKILL', reboot: null });
    });

    it('reports a descendant that waits, e.g. a tool run by the installer', async () => {
      const ran = await run(session, 'echo start; head -n 1; echo never');
      expect(ran.inputWait?.command).toBe('head -n 1');
    });

    it('reports a waiting process that changed its user', async () => {
      const ran = await run(
        session,
        'setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "echo prompt; read x"',
      );
      expect(ran.stdout).toEqual(['prompt']);
      expect(ran.inputWait?.command).toBe('sh -c echo prompt; read x');
    });

    it('does not report an installer that sleeps or computes', async () => {
      const sleeping = await run(session, 'sleep 4; echo slept');
      expect(sleeping).toMatchObject({ exitCode: 0, inputWait: null, stdout: ['slept'] });
      const computing = await run(
        session,
        'end=$((SECONDS + 3)); while [ $SECONDS -lt $end ]; do :; done; echo computed',
      );
      expect(computing).toMatchObject({ exitCode: 0, inputWait: null, stdout: ['computed'] });
    });
  });

  describe('leftover processes', () => {
    it('reports processes still running when the installer exits, then kills them', async () => {
      // Durations no other test uses: other test files' sandboxes run `sleep 300` meanwhile.
      const ran = await run(session, 'sleep 9301 & (sleep 9302 &); echo started; exit 0');
      expect(ran.exitCode).toBe(0);
      const commands = ran.leftoverProcesses.map((process) => process.command).sort();
      expect(commands).toEqual(['sleep 9301', 'sleep 9302']);
      for (const leftover of ran.leftoverProcesses) expect(leftover.ppid).toBe(1);
      const { stdout } = await execFileAsync('ps', ['-eo', 'args']);
      expect(stdout).not.toMatch(/^sleep 930[12]$/m);
    });

    it('names a helper by its own command even when the installer exits right after the fork', async () => {
      const script = 'nohup sh -c "sleep 300; echo late" >/dev/null 2>&1 & exit 0';
      const ran = await run(session, '', { argv: ['/bin/sh', '-c', script] });
      expect(ran.exitCode).toBe(0);
      const commands = ran.leftoverProcesses.map((process) => process.command);
      expect(commands).toContain('sh -c sleep 300; echo late');
      expect(commands).not.toContain(`/bin/sh -c ${script}`);
    });

    it('reports none for an installer that waits for its helper', async () => {
      const ran = await run(session, 'sleep 1 & wait; echo waited');
      expect(ran).toMatchObject({ exitCode: 0, leftoverProcesses: [], stdout: ['waited'] });
    });
  });

  describe('reboot attempts', () => {
    const cases: [string, string, string][] = [
      ['reboot', 'restart', 'reboot'],
      ['shutdown -r now', 'restart', 'shutdown -r now'],
      ['systemctl reboot', 'restart', 'systemctl reboot'],
      ['init 6', 'restart', 'init 6'],
      ['poweroff', 'power-off', 'poweroff'],
      ['systemctl isolate poweroff.target', 'power-off', 'systemctl isolate poweroff.target'],
      ['halt', 'halt', 'halt'],
      ['reboot -f', 'restart', 'reboot -f'],
    ];
    it.each(cases)('reports `%s` as a %s by command', async (script, kind, command) => {
      const ran = await run(session, `echo before; ${script}; echo after`);
      expect(ran.stdout).toEqual(['before']);
      expect(ran.reboot).toMatchObject({ via: 'command', kind });
      // The shim sees the name it was called by; init hands over to systemctl under its own.
      expect(ran.reboot?.command).toMatch(new RegExp(`(^|/)${command}$`));
      expect(ran.reboot?.parentCommand).toContain(script);
      expect(ran).toMatchObject({ exitCode: null, signal: 'SIGKILL', leftoverProcesses: [] });
    });

    it('passes other systemctl verbs to the real systemctl', async () => {
      const ran = await run(session, 'systemctl --version | head -n 1; systemctl is-enabled x');
      expect(ran.stdout[0]).toMatch(/^systemd \d+/);
      expect(ran.reboot).toBeNull();
      expect(ran.exitCode).not.toBe(0);
    });

    it('reports a runlevel request written into /run/initctl', async () => {
      // struct init_request: magic 0x03091969, cmd 1 (runlevel), runlevel '0', 368 bytes of data.
      const ran = await run(
        session,
        'exec 3>/run/initctl; printf "\\x69\\x19\\x09\\x03\\x01\\0\\0\\0\\x30\\0\\0\\0" >&3; ' +
          'head -c 372 /dev/zero >&3; sleep 5',
      );
      expect(ran.reboot).toMatchObject({ via: 'initctl', kind: 'power-off' });
      expect(ran.reboot?.command).toContain('/run/initctl');
    });

    it('still reports a reboot command when the agent socket was removed', async () => {
      const ran = await run(session, 'rm /run/goldsmith/agent.sock; reboot; echo after');
      expect(ran.reboot).toMatchObject({ via: 'initctl', kind: 'restart', command: 'reboot' });
      expect(ran.stdout).toEqual([]);
    });

    it('reports the reboot system call, which ends the PID namespace', async () => {
      // reboot(LINUX_REBOOT_MAGIC1, MAGIC2, LINUX_REBOOT_CMD_RESTART / _POWER_OFF)
      const restart = await run(
        session,
        'echo before; perl -e "syscall(169, 0xfee1dead, 672274793, 0x01234567)"; echo after',
      );
      expect(restart.stdout[0]).toBe('before');
      expect(restart.reboot).toEqual({ via: 'syscall', kind: 'restart', command: null });
      const powerOff = await run(
        session,
        'perl -e "syscall(169, 0xfee1dead, 672274793, 0x4321fedc)"; echo after',
      );
      expect(powerOff.reboot).toEqual({ via: 'syscall', kind: 'power-off', command: null });
    });
  });

  describe('limits', () => {
    it('reports the memory limit', async () => {
      const ran = await run(session, 'tail /dev/zero', {
        limits: { ...LIMITS, memoryBytes: 64 * MiB },
      });
      expect(ran.limitsHit).toEqual({ memory: true, processes: false, disk: false });
    });

    it('reports the process limit', async () => {
      // dash, not bash: bash retries a refused fork for seconds.
      const ran = await run(
        session,
        "exec sh -c 'i=0; while [ $i -lt 100 ]; do sleep 2 & i=$((i+1)); done; wait'",
        {
          limits: { ...LIMITS, pids: 64 },
        },
      );
      expect(ran.limitsHit).toEqual({ memory: false, processes: true, disk: false });
    });

    it('reports the disk limit, and the host filesystem is unaffected', async () => {
      const small = await prepare({ diskLimitBytes: 64 * MiB });
      const hostBefore = statfsSync(small.upperDir);
      const hostFreeBefore = statfsSync('/tmp').bavail * statfsSync('/tmp').bsize;
      const ran = await run(small, 'dd if=/dev/zero of=/var/big bs=1M count=200 status=none');
      expect(ran.exitCode).not.toBe(0);
      expect(ran.stderr.join('\n')).toMatch(/No space left on device/);
      expect(ran.limitsHit).toEqual({ memory: false, processes: false, disk: true });
      expect(hostBefore.blocks * hostBefore.bsize).toBeLessThanOrEqual(64 * MiB);
      const hostFreeAfter = statfsSync('/tmp').bavail * statfsSync('/tmp').bsize;
      expect(hostFreeBefore - hostFreeAfter).toBeLessThan(100 * MiB);
      const again = await run(small, 'rm /var/big && echo ok');
      expect(again).toMatchObject({ exitCode: 0, limitsHit: { disk: false } });
    });
  });

  describe('network and file overlays', () => {
    it('joins a given network namespace and binds files read-only over the root', async () => {
      const name = `goldsmith-checks-${process.pid}`;
      await execFileAsync('ip', ['netns', 'add', name]);
      try {
        const resolv = path.join(tempDir('resolv'), 'resolv.conf');
        writeFileSync(resolv, 'nameserver 192.0.2.53\n');
        const joined = await prepare({
          networkNamespacePath: `/run/netns/${name}`,
          fileOverlays: [{ source: resolv, destination: '/etc/resolv.conf' }],
        });
        const ran = await run(
          joined,
          'readlink /proc/self/ns/net; cat /etc/resolv.conf; echo x > /etc/resolv.conf || echo ro',
        );
        const inode = statSync(`/run/netns/${name}`).ino;
        expect(ran.stdout).toEqual([`net:[${inode}]`, 'nameserver 192.0.2.53', 'ro']);
        expect(readFileSync(resolv, 'utf8')).toBe('nameserver 192.0.2.53\n');
        expect(existsSync(path.join(joined.upperDir, 'etc/resolv.conf'))).toBe(false);
      } finally {
        await execFileAsync('ip', ['netns', 'del', name]);
      }
    });
  });

  describe('escape attempts are contained', () => {
    let server: Server;
    let port: number;
    let connections = 0;

    beforeAll(async () => {
      server = createServer((socket) => {
        connections += 1;
        socket.end('host secret\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives the installer the capabilities to install, not SYS_ADMIN or SYS_PTRACE', async () => {
      const ran = await run(session, "grep -E '^Cap(Bnd|Prm|Eff):' /proc/self/status");
      const bit = (name: number, mask: bigint): boolean => ((mask >> BigInt(name)) & 1n) === 1n;
      expect(ran.stdout).toHaveLength(3);
      for (const line of ran.stdout) {
        const mask = BigInt(`0x${line.split(/\s+/)[1] ?? ''}`);
        // capability.h: CHOWN 0, NET_ADMIN 12, SYS_PTRACE 19, SYS_ADMIN 21, SYS_BOOT 22.
        expect([0, 12, 19, 21, 22].map((number) => bit(number, mask))).toEqual([
          true,
          true,
          false,
          false,
          true,
        ]);
      }
    });

    it('cannot mount', async () => {
      const ran = await run(session, 'mount -t tmpfs none /mnt && echo mounted');
      expect(ran.exitCode).not.toBe(0);
      expect(ran.stdout).toEqual([]);
    });

    it('cannot write /proc/sysrq-trigger or kernel settings', async () => {
      // This kernel may lack sysrq: then the write fails for want of the file.
      const ran = await run(
        session,
        'echo h > /proc/sysrq-trigger && echo wrote; echo 2 > /proc/sys/vm/overcommit_memory && echo set',
      );
      expect(ran.stdout).toEqual([]);
      expect(ran.stderr.join('\n')).toMatch(/sysrq-trigger: (Read-only file system|No such file)/);
      expect(ran.stderr.join('\n')).toMatch(/overcommit_memory: Read-only file system/);
    });

    it('cannot load a kernel module', async () => {
      // init_module (175) and finit_module (313); the root has no modprobe or insmod.
      const ran = await run(
        session,
        'perl -e \'my ($image, $args) = ("x", ""); $r = syscall(175, $image, 1, $args); ' +
          'print "$r $!\\n"; $r = syscall(313, 0, $args, 0); print "$r $!\\n"\'',
      );
      expect(ran.stdout).toEqual(['-1 Operation not permitted', '-1 Operation not permitted']);
    });

    it('is refused kernel attack surface, may ptrace its own child but not the agent', async () => {
      // x86_64 numbers: bpf 321, perf_event_open 298, keyctl 250, add_key 248,
      // open_by_handle_at 304, userfaultfd 323, kexec_load 246; then ptrace(PTRACE_ATTACH) 101.
      const ran = await run(
        session,
        "perl -e 'for $n (321, 298, 250, 248, 304, 323, 246) { $r = syscall($n, 0, 0, 0, 0, 0); " +
          'print "$n $r $!\\n" } $pid = fork() || exec("sleep", "5"); ' +
          'print "ptrace ", syscall(101, 16, $pid, 0, 0), "\\n"; kill 9, $pid; ' +
          '$r = syscall(101, 16, 1, 0, 0); print "ptrace agent $r $!\\n"\'',
      );
      expect(ran.stdout).toEqual([
        ...[321, 298, 250, 248, 304, 323, 246].map((n) => `${n} -1 Operation not permitted`),
        'ptrace 0',
        // The agent holds SYS_PTRACE, which the installer lacks: it cannot be traced.
        'ptrace agent -1 Operation not permitted',
      ]);
    });

    it('cannot kill a host process', async () => {
      const ran = await run(session, `kill -9 ${process.pid} && echo killed`);
      expect(ran.stdout).toEqual([]);
      expect(ran.exitCode).not.toBe(0);
      // Still here to check.
      expect(process.kill(process.pid, 0)).toBe(true);
    });

    it('cannot make a user namespace', async () => {
      const ran = await run(session, 'unshare -U true && echo unshared; unshare -Ur id');
      expect(ran.stdout).toEqual([]);
      expect(ran.stderr.join('\n')).toMatch(/Operation not permitted/);
    });

    it('cannot reach a host port', async () => {
      const ran = await run(
        session,
        `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3; ` +
          `timeout 3 bash -c 'exec 3<>/dev/tcp/10.0.2.2/${port}' || echo unreachable`,
      );
      expect(ran.stdout).not.toContain('host secret');
      expect(connections).toBe(0);
    });
  });
});
