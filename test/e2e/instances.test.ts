import { existsSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SYSTEMD_CONSOLE_ARGS } from '../../src/domain/instances/instance-run.js';
import type { LogLine } from '../../src/domain/types.js';
import { runCli } from '../support/cli-process.js';
import {
  apiErrorOf,
  startHarness,
  submitGroup,
  waitForGroup,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';

interface InstanceBody {
  id: string;
  imageId: string;
  command: string[] | null;
  defaultCommand: boolean;
  state: string;
  stateReason: string | null;
  exitCode: number | null;
  stoppedAt: string | null;
  terminatedAt: string | null;
}

interface ConsolePage {
  lines: LogLine[];
  nextSeq: number;
  complete: boolean;
}

const SLEEPER = ['/bin/sh', '-c', 'echo sleeping; exec sleep 300'];

describe('instances: images launched on the Goldsmith host, through the real sandbox', () => {
  let harness: Harness;
  let seller: TestAccount;
  let stranger: TestAccount;
  let baseImageId: string;
  let testImageId: string;

  const launch = (account: TestAccount, imageId: string, command?: string[]) =>
    account.client.request<InstanceBody>('POST', '/v1/instances', {
      imageId,
      ...(command === undefined ? {} : { command }),
    });
  const get = (id: string) => seller.client.request<InstanceBody>('GET', `/v1/instances/${id}`);
  const act = (id: string, action: 'stop' | 'terminate') =>
    seller.client.request<InstanceBody>('POST', `/v1/instances/${id}/${action}`);
  const consoleText = async (id: string): Promise<string> => {
    const page = await seller.client.request<ConsolePage>(
      'GET',
      `/v1/instances/${id}/console?after=0`,
    );
    return page.lines.map((line) => line.text).join('\n');
  };

  /** Polls until `done` holds for the instance; no time thresholds beyond the test's own. */
  async function waitFor(
    id: string,
    done: (instance: InstanceBody, text: string) => boolean,
  ): Promise<InstanceBody> {
    for (;;) {
      const instance = await get(id);
      if (done(instance, await consoleText(id))) return instance;
      if (instance.state === 'failed') throw new Error(`instance failed: ${instance.stateReason}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const sessionDir = (id: string) => path.join(harness.dataDir, 'sandboxes', id);

  beforeAll(async () => {
    harness = await startHarness({ workers: 1, instanceLimit: 2 });
    seller = await harness.createAccount('Acme Software', ['seller']);
    stranger = await harness.createAccount('Someone Else', ['seller']);
    // A tiny build makes the debian-12 base image and gives the seller a test image of its own.
    const installer = await writeTempFile(
      'install.sh',
      '#!/bin/sh\nset -e\necho "acme 1.0" > /etc/acme-release\n',
    );
    const submitted = await submitGroup(
      seller.client,
      'acme_instance_r1',
      ['debian-12'],
      [installer],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Successful');
    testImageId = group.builds[0]!.imageId!;
    const { osVersions } = await seller.client.request<{
      osVersions: { id: string; baseImageId: string | null }[];
    }>('GET', '/v1/os-versions');
    baseImageId = osVersions.find((os) => os.id === 'debian-12')!.baseImageId!;
  });
  afterAll(async () => harness?.stop());

  it('runs a command, shows its console, stops and terminates, removing its sandbox', async () => {
    const launched = await launch(seller, baseImageId, [
      '/bin/sh',
      '-c',
      'echo hello from the instance; cat /etc/os-release; echo written > /root/note; sleep 300',
    ]);
    expect(launched.id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(launched.state).toBe('pending');
    const running = await waitFor(
      launched.id,
      (i, text) => i.state === 'running' && text.includes('PRETTY_NAME'),
    );
    expect(running.command).toEqual(launched.command);
    const text = await consoleText(launched.id);
    expect(text).toContain('hello from the instance');
    expect(text).toContain('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
    const page = await seller.client.request<ConsolePage>(
      'GET',
      `/v1/instances/${launched.id}/console?after=0`,
    );
    const hello = page.lines.find((line) => line.text === 'hello from the instance')!;
    expect(hello.stream).toBe('stdout');
    expect(Number.isNaN(Date.parse(hello.at))).toBe(false);
    expect(page.complete).toBe(false);

    const stopped = await act(launched.id, 'stop');
    expect(stopped.state).toBe('stopped');
    expect(stopped.stateReason).toBe('stopped on request');
    expect(stopped.exitCode).toBeNull();
    // A stopped instance keeps its writes until it is terminated.
    expect(existsSync(sessionDir(launched.id))).toBe(true);

    const terminated = await act(launched.id, 'terminate');
    expect(terminated.state).toBe('terminated');
    expect(terminated.terminatedAt).not.toBeNull();
    expect(existsSync(sessionDir(launched.id))).toBe(false);
    expect((await act(launched.id, 'terminate')).state).toBe('terminated');
    const { instances } = await seller.client.request<{ instances: InstanceBody[] }>(
      'GET',
      '/v1/instances',
    );
    expect(instances.find((i) => i.id === launched.id)?.state).toBe('terminated');
  });

  it('records the exit code of a command that ends on its own, stdout and stderr alike', async () => {
    const launched = await launch(seller, testImageId, [
      '/bin/sh',
      '-c',
      'cat /etc/acme-release; echo to stderr >&2; exit 7',
    ]);
    const stopped = await waitFor(launched.id, (i) => i.state === 'stopped');
    expect(stopped.exitCode).toBe(7);
    expect(stopped.stateReason).toContain('status 7');
    const page = await seller.client.request<ConsolePage>(
      'GET',
      `/v1/instances/${launched.id}/console?after=0`,
    );
    expect(page.complete).toBe(true);
    expect(page.lines).toContainEqual(
      expect.objectContaining({ stream: 'stdout', text: 'acme 1.0' }),
    );
    expect(page.lines).toContainEqual(
      expect.objectContaining({ stream: 'stderr', text: 'to stderr' }),
    );
    await act(launched.id, 'terminate');
  });

  it('boots the image’s systemd as PID 1 when no command is given, and halts it on stop', async () => {
    const launched = await launch(seller, baseImageId);
    expect(launched.defaultCommand).toBe(true);
    expect(launched.command).toBeNull();
    // systemd's unit status lines are the console, as on a machine's serial console.
    const booted = await waitFor(
      launched.id,
      (i, text) => i.state === 'running' && /Reached target .*Multi-User System/.test(text),
    );
    expect(booted.command).toEqual(['/sbin/init', ...SYSTEMD_CONSOLE_ARGS]);
    const text = await consoleText(launched.id);
    expect(text).toContain('as the init (PID 1)');
    expect(text).toMatch(/Welcome to .*Debian GNU\/Linux 12/);
    // The base's services start: its journal, and sshd with host keys made at first boot.
    expect(text).toMatch(/Started .*systemd-journald\.service/);
    expect(text).toMatch(/Finished .*ssh-host-keys\.service/);
    expect(text).toMatch(/Started .*ssh\.service/);

    // A stop asks systemd to halt (SIGRTMIN+3): it stops its units before the sandbox ends.
    const stopped = await act(launched.id, 'stop');
    expect(stopped.state).toBe('stopped');
    expect(stopped.stateReason).toBe('stopped on request');
    const after = await consoleText(launched.id);
    expect(after).toMatch(/Stopped .*ssh\.service/);
    expect(after).toContain('Halting system.');
    expect((await act(launched.id, 'terminate')).state).toBe('terminated');
  });

  it('stops a command gracefully: SIGTERM reaches it before the sandbox ends', async () => {
    const launched = await launch(seller, baseImageId, [
      '/bin/bash',
      '-c',
      'trap "echo caught TERM, cleaning up; exit 0" TERM; echo waiting; while :; do sleep 1; done',
    ]);
    await waitFor(launched.id, (i, text) => i.state === 'running' && text.includes('waiting'));
    const stopped = await act(launched.id, 'stop');
    expect(stopped.state).toBe('stopped');
    expect(await consoleText(launched.id)).toContain('caught TERM, cleaning up');
    await act(launched.id, 'terminate');
  });

  it('cannot reach the network: names resolve to the sink, connections go nowhere', async () => {
    const launched = await launch(seller, baseImageId, [
      '/bin/bash',
      '-c',
      [
        'echo "dns: $(getent hosts example.com)"',
        // /dev/tcp reaches only the sink's recorder, which never answers like a web server.
        `timeout 5 bash -c 'exec 3<>/dev/tcp/93.184.215.14/80; printf "GET / HTTP/1.0\\r\\n\\r\\n" >&3; head -c 12 <&3' | sed 's/^/reply: /'`,
        'echo done',
      ].join('\n'),
    ]);
    const ended = await waitFor(launched.id, (i) => i.state === 'stopped');
    const text = await consoleText(launched.id);
    expect(text).toContain('done');
    // Every name resolves to the sink (10.213.X.1), never to the real example.com.
    expect(text).toMatch(/dns: 10\.213\.\d+\.1\s+example\.com/);
    expect(text).not.toMatch(/reply: HTTP\/1\.[01] 200/);
    expect(ended.exitCode).not.toBeNull();
    await act(launched.id, 'terminate');
  });

  it('shows another account nothing: 404 on every route, an empty list, no use of others’ images', async () => {
    const mine = await launch(seller, baseImageId, SLEEPER);
    const routes: [string, string][] = [
      ['GET', `/v1/instances/${mine.id}`],
      ['GET', `/v1/instances/${mine.id}/console?after=0`],
      ['POST', `/v1/instances/${mine.id}/stop`],
      ['POST', `/v1/instances/${mine.id}/terminate`],
    ];
    for (const [method, route] of routes) {
      expect(await apiErrorOf(stranger.client.request(method, route))).toEqual({
        status: 404,
        code: 'INSTANCE_NOT_FOUND',
      });
    }
    expect(
      await stranger.client.request<{ instances: InstanceBody[] }>('GET', '/v1/instances'),
    ).toEqual({ instances: [] });
    expect(await apiErrorOf(launch(stranger, testImageId, SLEEPER))).toEqual({
      status: 404,
      code: 'IMAGE_NOT_FOUND',
    });
    expect(await apiErrorOf(launch(stranger, 'img-00000000000000000', SLEEPER))).toEqual({
      status: 404,
      code: 'IMAGE_NOT_FOUND',
    });
    // The stranger's attempts changed nothing.
    expect((await waitFor(mine.id, (i) => i.state === 'running')).state).toBe('running');
    await act(mine.id, 'terminate');
  });

  it('refuses a launch over the account’s limit of running instances', async () => {
    const first = await launch(seller, baseImageId, SLEEPER);
    const second = await launch(seller, baseImageId, SLEEPER);
    expect(await apiErrorOf(launch(seller, baseImageId, SLEEPER))).toEqual({
      status: 409,
      code: 'INSTANCE_LIMIT_EXCEEDED',
    });
    // Another account has a limit of its own.
    const theirs = await launch(stranger, baseImageId, SLEEPER);
    await stranger.client.request('POST', `/v1/instances/${theirs.id}/terminate`);
    await act(first.id, 'stop');
    const third = await launch(seller, baseImageId, SLEEPER);
    for (const id of [first.id, second.id, third.id]) await act(id, 'terminate');
  });

  it('launches, reads the console and terminates with the CLI', async () => {
    const env = {
      GOLDSMITH_URL: harness.url,
      GOLDSMITH_TOKEN: seller.token,
      XDG_CONFIG_HOME: tempDir('xdg'),
    };
    const launched = await runCli(
      ['instance', 'launch', baseImageId, '--command', 'echo hello from the cli; exit 3', '--json'],
      env,
    );
    expect(launched.code, launched.stderr).toBe(0);
    const { id } = JSON.parse(launched.stdout) as InstanceBody;
    const followed = await runCli(['instance', 'console', id, '--follow'], env);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toMatch(/stdout +hello from the cli/);
    const listed = await runCli(['instance', 'list', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toContainEqual(
      expect.objectContaining({ id, state: 'stopped', exitCode: 3 }),
    );
    const terminated = await runCli(['instance', 'terminate', id], env);
    expect(terminated.code, terminated.stderr).toBe(0);
    expect(terminated.stdout).toContain(`${id}: terminated`);
    const missing = await runCli(['instance', 'stop', 'i-00000000000000000'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('INSTANCE_NOT_FOUND');
  });
});
