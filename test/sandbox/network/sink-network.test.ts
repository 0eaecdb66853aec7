import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  cleanupStaleNetworks,
  createSinkNetwork,
} from '../../../src/sandbox/network/sink-network.js';
import type { SinkNetwork } from '../../../src/sandbox/network/sink-network.js';
import { SandboxError } from '../../../src/sandbox/sandbox.js';
import type { NetworkAttempt } from '../../../src/sandbox/network/network-types.js';
import { repoRoot, tempDir } from '../../support/paths.js';

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a shell command in the build namespace, with /etc/resolv.conf bound to the sink's. */
function inBuild(network: SinkNetwork, script: string): Promise<Ran> {
  const started = Date.now();
  const wrapped = `mount --bind ${network.resolvConfPath} /etc/resolv.conf && ${script}`;
  return new Promise((resolve) => {
    execFile(
      'nsenter',
      [`--net=${network.namespacePath}`, '--', 'unshare', '-m', 'sh', '-c', wrapped],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

function run(command: string, args: string[]): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The recorder prints asynchronously: waits until an attempt matching `match` shows up. */
async function attemptMatching(
  network: SinkNetwork,
  match: Partial<NetworkAttempt>,
): Promise<NetworkAttempt> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = network
      .attempts()
      .find((attempt) =>
        Object.entries(match).every(
          ([key, value]) => attempt[key as keyof NetworkAttempt] === value,
        ),
      );
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no attempt ${JSON.stringify(match)} in ${JSON.stringify(network.attempts())}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function namespaces(): Promise<string> {
  return (await run('ip', ['netns', 'list'])).stdout;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function sinkPids(network: SinkNetwork): Promise<number[]> {
  const { stdout } = await run('ip', ['netns', 'pids', network.sinkNamespace]);
  return stdout.split(/\s+/).filter(Boolean).map(Number);
}

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('sink network', () => {
  const stateDir = tempDir('sink-networks');
  let network: SinkNetwork;

  beforeAll(async () => {
    const started = Date.now();
    network = await createSinkNetwork(`sink-test-${process.pid}`, { stateDir });
    console.log(`create sink network: ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await network.destroy();
  });

  it('resolves every name to the sink and records the queries', async () => {
    const ran = await inBuild(network, 'getent hosts example.com');
    expect(ran.code).toBe(0);
    expect(ran.stdout.split(/\s+/)[0]).toBe(network.sinkAddress);
    await attemptMatching(network, { protocol: 'dns', host: 'example.com', detail: 'A' });
  });

  it('answers an HTTP download with 403 and records its URL', async () => {
    const ran = await inBuild(
      network,
      "curl -sS -o /dev/null -w '%{http_code}' http://downloads.example.com/pkg/agent.tar.gz",
    );
    console.log(`blocked HTTP download: ${ran.ms} ms`);
    expect(ran.stdout).toBe('403');
    const failing = await inBuild(
      network,
      'curl -fsS http://downloads.example.com/pkg/agent.tar.gz',
    );
    expect(failing.code).toBe(22);
    expect(failing.stderr).toContain('403');
    await attemptMatching(network, { protocol: 'dns', host: 'downloads.example.com' });
    expect(
      await attemptMatching(network, { protocol: 'http', host: 'downloads.example.com' }),
    ).toMatchObject({
      port: 80,
      url: 'http://downloads.example.com/pkg/agent.tar.gz',
      detail: `GET /pkg/agent.tar.gz to ${network.sinkAddress}:80`,
    });
  });

  it('ends an HTTPS download at the ClientHello and records the SNI', async () => {
    const ran = await inBuild(network, 'curl -sS https://secure.example.org/x');
    console.log(`blocked HTTPS download: ${ran.ms} ms`);
    expect(ran.code).toBe(35); // SSL connect error
    expect(await attemptMatching(network, { protocol: 'tls' })).toMatchObject({
      host: 'secure.example.org',
      port: 443,
      detail: expect.stringContaining('SNI secure.example.org'),
    });
  });

  it('records the original destination of a hard-coded address', async () => {
    await inBuild(network, 'curl -sS -o /dev/null http://203.0.113.7:8080/');
    expect(await attemptMatching(network, { host: '203.0.113.7' })).toMatchObject({
      protocol: 'http',
      port: 8080,
      url: 'http://203.0.113.7:8080/',
      detail: 'GET / to 203.0.113.7:8080',
    });
    // A client that sends nothing first is recorded by address after a second.
    await inBuild(network, "bash -c 'exec 3<>/dev/tcp/203.0.113.8/22; cat <&3'");
    expect(await attemptMatching(network, { host: '203.0.113.8' })).toMatchObject({
      protocol: 'tcp',
      port: 22,
    });
  });

  it('records UDP datagrams by original destination', async () => {
    const ran = await inBuild(network, 'bash -c "echo ntp > /dev/udp/198.51.100.1/123"');
    expect(ran.code).toBe(0);
    expect(await attemptMatching(network, { protocol: 'udp' })).toMatchObject({
      host: '198.51.100.1',
      port: 123,
      detail: '4 bytes',
    });
  });

  it('answers DNS sent to any server, over UDP and TCP', async () => {
    const udp = await inBuild(
      network,
      "echo 'nameserver 192.0.2.53' > /tmp/r && mount --bind /tmp/r /etc/resolv.conf && getent ahostsv4 other.example",
    );
    expect(udp.stdout).toContain(network.sinkAddress);
    const tcp = await inBuild(
      network,
      "printf 'nameserver 192.0.2.53\\noptions use-vc\\n' > /tmp/r && mount --bind /tmp/r /etc/resolv.conf && getent ahostsv4 tcp.example",
    );
    expect(tcp.stdout).toContain(network.sinkAddress);
    await attemptMatching(network, { protocol: 'dns', host: 'tcp.example' });
  });

  it('never reaches the host', async () => {
    let hostConnections = 0;
    const hostServer = createServer((_request, response) => response.end('HOST-LISTENER'));
    hostServer.on('connection', () => (hostConnections += 1));
    const hostAddress = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
    await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
    const { port } = hostServer.address() as AddressInfo;
    try {
      // The host itself can reach its listener, so the listener works.
      expect((await run('curl', ['-sS', `http://127.0.0.1:${port}/`])).stdout).toBe(
        'HOST-LISTENER',
      );
      hostConnections = 0;

      const loopback = await inBuild(network, `curl -sS -m 3 http://127.0.0.1:${port}/`);
      expect(loopback.code).toBe(7); // connection refused: the build's own lo
      if (hostAddress !== undefined) {
        const direct = await inBuild(network, `curl -sS -m 3 http://${hostAddress}:${port}/`);
        expect(direct.stdout).not.toContain('HOST-LISTENER');
        expect(await attemptMatching(network, { host: hostAddress })).toMatchObject({ port });
      }
      expect(hostConnections).toBe(0);
    } finally {
      hostServer.close();
    }
  });

  it('leaves the host namespace without any of its interfaces or routes', async () => {
    const links = (await run('ip', ['-br', 'link'])).stdout;
    expect(links).not.toContain('gsv-');
    const routes = (await run('ip', ['route'])).stdout;
    expect(routes).not.toContain('10.213.');
    const sinkRoutes = (await run('ip', ['-n', network.sinkNamespace, 'route'])).stdout.trim();
    expect(sinkRoutes.split('\n')).toHaveLength(1);
    expect(sinkRoutes).toMatch(/^10\.213\.\d+\.0\/24 dev gsv-/);
  });
});

describe.skipIf(!isRoot)('sink network reachability snapshot', () => {
  const stateDir = tempDir('sink-snapshots');

  // Taking eth0 down also takes its routes away.
  it.each([
    ['nothing', 'true', { interfaceUp: true, defaultRoute: true, pingable: true }],
    ['the default route deleted', 'ip route del default', { defaultRoute: false, pingable: true }],
    [
      'eth0 down',
      'ip link set eth0 down',
      { interfaceUp: false, defaultRoute: false, pingable: false },
    ],
    ['all input dropped', 'iptables -A INPUT -j DROP', { interfaceUp: true, pingable: false }],
  ])('after %s', async (_name, script, expected) => {
    const network = await createSinkNetwork(`snapshot-${process.pid}-${script}`, { stateDir });
    try {
      const before = await network.snapshot();
      expect(before.reachable).toBe(true);
      expect(before.problems).toEqual([]);
      expect((await inBuild(network, script)).code).toBe(0);
      const after = await network.snapshot();
      expect(after).toMatchObject(expected);
      const failed = Object.values(expected).filter((value) => !value).length;
      expect(after.reachable).toBe(failed === 0);
      expect(after.problems).toHaveLength(failed);
      if (script.startsWith('iptables')) {
        expect(after.firewall).toContain('-A INPUT -j DROP');
        expect(before.firewall).not.toContain('DROP');
      }
      if (script.includes('route')) {
        expect(JSON.stringify(before.routes)).toContain('"dst":"default"');
        expect(JSON.stringify(after.routes)).not.toContain('"dst":"default"');
      }
    } finally {
      await network.destroy();
    }
  });
});

describe.skipIf(!isRoot)('sink network lifecycle', () => {
  const stateDir = tempDir('sink-lifecycle');

  it('destroy removes both namespaces and the recorder, and can be called again', async () => {
    const started = Date.now();
    const network = await createSinkNetwork(`lifecycle-${process.pid}`, { stateDir });
    const created = Date.now();
    const pids = await sinkPids(network);
    expect(pids.length).toBeGreaterThan(0);
    expect(await namespaces()).toContain(network.buildNamespace);
    await network.destroy();
    console.log(`sink network create ${created - started} ms, destroy ${Date.now() - created} ms`);
    await network.destroy();
    const listed = await namespaces();
    expect(listed).not.toContain(network.buildNamespace);
    expect(listed).not.toContain(network.sinkNamespace);
    expect(pids.filter(processExists)).toEqual([]);
  });

  it('reports a recorder that died instead of an empty list', async () => {
    const network = await createSinkNetwork(`recorder-dies-${process.pid}`, { stateDir });
    try {
      expect(network.attempts()).toEqual([]);
      for (const pid of await sinkPids(network)) process.kill(pid, 'SIGKILL');
      await expect
        .poll(() => {
          try {
            network.attempts();
            return 'listed';
          } catch (error) {
            return error instanceof SandboxError ? 'failed' : String(error);
          }
        })
        .toBe('failed');
    } finally {
      await network.destroy();
    }
  });

  it('refuses a second network for the same build and leaves the first one working', async () => {
    const id = `twice-${process.pid}`;
    const first = await createSinkNetwork(id, { stateDir });
    try {
      await expect(createSinkNetwork(id, { stateDir })).rejects.toBeInstanceOf(SandboxError);
      expect(await namespaces()).toContain(first.buildNamespace);
      expect((await first.snapshot()).reachable).toBe(true);
      expect((await inBuild(first, 'getent hosts still.example')).code).toBe(0);
    } finally {
      await first.destroy();
    }
  });

  it('gives concurrent networks different subnets that work at the same time', async () => {
    const [first, second] = await Promise.all([
      createSinkNetwork(`concurrent-a-${process.pid}`, { stateDir }),
      createSinkNetwork(`concurrent-b-${process.pid}`, { stateDir }),
    ]);
    try {
      expect(first.sinkAddress).not.toBe(second.sinkAddress);
      const [one, two] = await Promise.all([
        inBuild(first, 'curl -sS -o /dev/null http://one.example/a'),
        inBuild(second, 'curl -sS -o /dev/null http://two.example/b'),
      ]);
      expect([one.code, two.code]).toEqual([0, 0]);
      await attemptMatching(first, { url: 'http://one.example/a' });
      await attemptMatching(second, { url: 'http://two.example/b' });
      expect(first.attempts().some((attempt) => attempt.host === 'two.example')).toBe(false);
      expect(second.attempts().some((attempt) => attempt.host === 'one.example')).toBe(false);
    } finally {
      await Promise.all([first.destroy(), second.destroy()]);
    }
  });

  it('cleans up a network whose owner died, and only that one', async () => {
    const live = await createSinkNetwork(`live-${process.pid}`, { stateDir });
    const child = spawn(
      path.join(repoRoot, 'node_modules/.bin/vite-node'),
      [
        path.join(repoRoot, 'test/sandbox/network/stale-network-child.ts'),
        stateDir,
        `stale-${process.pid}`,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const names = await new Promise<string[]>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const match = /ready (\S+) (\S+)/.exec(chunk);
        if (match !== null) resolve([match[1] ?? '', match[2] ?? '']);
      });
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    try {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
      expect(await namespaces()).toContain(names[0]);

      expect((await cleanupStaleNetworks({ stateDir })).sort()).toEqual([...names].sort());
      const listed = await namespaces();
      for (const name of names) expect(listed).not.toContain(name);
      expect(listed).toContain(live.buildNamespace);
      expect(await cleanupStaleNetworks({ stateDir })).toEqual([]);
    } finally {
      await live.destroy();
    }
  });
});
