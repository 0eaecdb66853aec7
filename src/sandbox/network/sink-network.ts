import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { SandboxError } from '../sandbox.js';
import { currentOwner, ownerIsAlive } from '../runc/session-owner.js';
import { inNamespace, mustRunNetworkCommand, runNetworkCommand } from './network-command.js';
import {
  claimSubnet,
  listNetworkRecords,
  releaseSubnet,
  type NetworkRecord,
} from './network-registry.js';
import type { NetworkAttempt, NetworkSnapshot, RecorderLine } from './network-types.js';

/** Where records of live sink networks are kept; /run empties at boot, like the namespaces. */
export const DEFAULT_NETWORK_STATE_DIR = '/run/goldsmith/sink-networks';
/** Name prefixes of our namespaces: the build side and the sink side. */
export const BUILD_NAMESPACE_PREFIX = 'gsb-';
export const SINK_NAMESPACE_PREFIX = 'gss-';

const NETNS_DIR = '/run/netns';
const RECORDER_TCP_PORT = 15001;
const RECORDER_UDP_PORT = 15002;
const RECORDER_READY_TIMEOUT_MS = 15_000;
const RECORDER_STOP_TIMEOUT_MS = 3_000;

/** Options of createSinkNetwork and cleanupStaleNetworks. */
export interface SinkNetworkOptions {
  /** Directory of network records (owner, subnet) and resolv.conf files. */
  readonly stateDir?: string;
}

/** A build's network: a namespace whose only neighbour is a recorder that lets nothing out. */
export interface SinkNetwork {
  /** The build side's namespace, for runc's `{ type: 'network', path }`. */
  readonly namespacePath: string;
  /** A host file with `nameserver <sink address>`, to bind over /etc/resolv.conf. */
  readonly resolvConfPath: string;
  /** Names of the build side's and the sink's namespaces (as `ip netns list` shows them). */
  readonly buildNamespace: string;
  readonly sinkNamespace: string;
  /** The build side's address (on eth0). */
  readonly buildAddress: string;
  /** The sink's address: every name resolves to it. */
  readonly sinkAddress: string;
  /** Everything the recorder saw so far, oldest first; a SandboxError if the recorder died. */
  attempts(): NetworkAttempt[];
  /** Addresses, routes and firewall of the build namespace, and whether it is reachable. */
  snapshot(): Promise<NetworkSnapshot>;
  /** Stops the recorder and deletes both namespaces; safe to call again. */
  destroy(): Promise<void>;
}

/** Creates a sink network for build `id` (see SANDBOX-NOTES.md, "Reboot, leftovers, network"). */
export async function createSinkNetwork(
  id: string,
  options: SinkNetworkOptions = {},
): Promise<SinkNetwork> {
  const stateDir = options.stateDir ?? DEFAULT_NETWORK_STATE_DIR;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  const record = await claimSubnet(stateDir, Number.parseInt(hash.slice(0, 2), 16), {
    id,
    buildNamespace: `${BUILD_NAMESPACE_PREFIX}${hash}`,
    sinkNamespace: `${SINK_NAMESPACE_PREFIX}${hash}`,
    owner: await currentOwner(),
  });
  const network = new SinkNetworkImpl(stateDir, record, hash);
  try {
    await network.start();
  } catch (error) {
    await network.destroy().catch(() => undefined);
    throw new SandboxError(`cannot create the sink network of ${id}: ${String(error)}`, {
      cause: error,
    });
  }
  return network;
}

/** Removes sink networks whose owner process died; returns the namespaces removed. */
export async function cleanupStaleNetworks(options: SinkNetworkOptions = {}): Promise<string[]> {
  const stateDir = options.stateDir ?? DEFAULT_NETWORK_STATE_DIR;
  const removed: string[] = [];
  for (const record of await listNetworkRecords(stateDir)) {
    if (await ownerIsAlive(record.owner)) continue;
    // The recorder exits when its owner's pipe closes; anything still in the sink is ours.
    const pids = await runNetworkCommand('ip', ['netns', 'pids', record.sinkNamespace]);
    for (const pid of pids.stdout.split(/\s+/).filter((word) => /^\d+$/.test(word))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    removed.push(...(await deleteNamespaces([record.buildNamespace, record.sinkNamespace])));
    await unlink(resolvConfFile(stateDir, record)).catch(() => undefined);
    await releaseSubnet(stateDir, record.subnet);
  }
  return removed;
}

class SinkNetworkImpl implements SinkNetwork {
  readonly namespacePath: string;
  readonly resolvConfPath: string;
  readonly buildNamespace: string;
  readonly sinkNamespace: string;
  readonly buildAddress: string;
  readonly sinkAddress: string;
  private readonly sinkNamespacePath: string;
  private readonly sinkInterface: string;
  private readonly recorded: NetworkAttempt[] = [];
  private readonly created: string[] = [];
  private readonly recorderErrors: string[] = [];
  private recorder: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  private destroying: Promise<void> | undefined;
  private recorderFailure: string | undefined;

  constructor(
    private readonly stateDir: string,
    private readonly record: NetworkRecord,
    hash: string,
  ) {
    this.buildNamespace = record.buildNamespace;
    this.sinkNamespace = record.sinkNamespace;
    this.namespacePath = path.join(NETNS_DIR, record.buildNamespace);
    this.sinkNamespacePath = path.join(NETNS_DIR, record.sinkNamespace);
    this.resolvConfPath = resolvConfFile(stateDir, record);
    this.sinkInterface = `gsv-${hash}`;
    this.buildAddress = `10.213.${record.subnet}.2`;
    this.sinkAddress = `10.213.${record.subnet}.1`;
  }

  async start(): Promise<void> {
    const { buildNamespace, sinkNamespace, subnet } = this.record;
    // Remembered one by one, so a failed start never deletes a namespace another build owns.
    for (const name of [buildNamespace, sinkNamespace]) {
      await mustRunNetworkCommand('ip', ['netns', 'add', name]);
      this.created.push(name);
    }
    // The veth is created inside the sink with its peer moved straight into the build
    // namespace: neither end ever exists in the host's namespace.
    await mustRunNetworkCommand(
      'ip',
      ['-n', sinkNamespace, '-batch', '-'],
      [
        `link add ${this.sinkInterface} type veth peer name eth0 netns ${buildNamespace}`,
        `addr add ${this.sinkAddress}/24 dev ${this.sinkInterface}`,
        'link set lo up',
        `link set ${this.sinkInterface} up`,
        '',
      ].join('\n'),
    );
    await mustRunNetworkCommand(
      'ip',
      ['-n', buildNamespace, '-batch', '-'],
      [
        `addr add ${this.buildAddress}/24 dev eth0`,
        'link set lo up',
        'link set eth0 up',
        `route add default via ${this.sinkAddress}`,
        '',
      ].join('\n'),
    );
    // DNS to any server reaches our resolver; every other TCP or UDP flow reaches the recorder.
    // The sink's only route is its /24 and it forwards nothing.
    const veth = this.sinkInterface;
    await mustRunNetworkCommand(
      'nsenter',
      inNamespace(this.sinkNamespacePath, ['iptables-restore']),
      [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        `-A PREROUTING -i ${veth} -p udp --dport 53 -j REDIRECT --to-ports 53`,
        `-A PREROUTING -i ${veth} -p tcp --dport 53 -j REDIRECT --to-ports 53`,
        `-A PREROUTING -i ${veth} -p tcp -j REDIRECT --to-ports ${RECORDER_TCP_PORT}`,
        `-A PREROUTING -i ${veth} -p udp -j REDIRECT --to-ports ${RECORDER_UDP_PORT}`,
        'COMMIT',
        '*filter',
        ':FORWARD DROP [0:0]',
        'COMMIT',
        '',
      ].join('\n'),
    );
    await writeFile(this.resolvConfPath, `nameserver ${this.sinkAddress}\n`);
    await this.startRecorder(subnet);
  }

  private async startRecorder(subnet: number): Promise<void> {
    const child = spawn(
      'nsenter',
      inNamespace(this.sinkNamespacePath, [
        process.execPath,
        ...recorderArguments(),
        this.sinkAddress,
        String(RECORDER_TCP_PORT),
        String(RECORDER_UDP_PORT),
      ]),
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.recorder = child;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.recorderErrors.push(chunk);
      if (this.recorderErrors.length > 20) this.recorderErrors.shift();
    });
    // Errors writing to a recorder that exited are seen through 'exit'.
    child.stdin.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`recorder of subnet ${subnet} not ready in time`)),
        RECORDER_READY_TIMEOUT_MS,
      );
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`recorder exited (${code}): ${this.recorderErrors.join('').trim()}`));
      };
      child.once('exit', onExit);
      child.once('error', onExit);
      let pending = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          const line = parseRecorderLine(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
          if (line?.event === 'ready') {
            clearTimeout(timer);
            child.off('exit', onExit);
            child.once('exit', (code, signal) => {
              if (this.destroying !== undefined) return;
              const errors = this.recorderErrors.join('').trim();
              this.recorderFailure = `the recorder exited (${code ?? signal}): ${errors}`;
            });
            resolve();
          } else if (line?.event === 'attempt') {
            this.recorded.push(attemptOf(line));
          } else if (line?.event === 'error') {
            this.recorderErrors.push(line.message);
          }
        }
      });
    });
  }

  attempts(): NetworkAttempt[] {
    // Without its recorder the list may miss attempts: that is our failure, not the seller's.
    if (this.recorderFailure !== undefined) {
      throw new SandboxError(
        `network attempts of ${this.record.id} are incomplete: ${this.recorderFailure}`,
      );
    }
    return [...this.recorded];
  }

  async snapshot(): Promise<NetworkSnapshot> {
    const build = (argv: string[]) =>
      runNetworkCommand('nsenter', inNamespace(this.namespacePath, argv));
    const [addresses, routes, nft, iptables, legacy, ping] = await Promise.all([
      mustRunNetworkCommand('ip', ['-n', this.record.buildNamespace, '-j', 'addr']),
      mustRunNetworkCommand('ip', ['-n', this.record.buildNamespace, '-j', 'route']),
      build(['nft', 'list', 'ruleset']),
      build(['iptables-save']),
      // Only when legacy tables exist: listing them would otherwise create them.
      build(['sh', '-c', 'test -s /proc/net/ip_tables_names && iptables-legacy-save']),
      runNetworkCommand(
        'nsenter',
        inNamespace(this.sinkNamespacePath, [
          'ping',
          '-c',
          '1',
          '-W',
          '1',
          '-q',
          this.buildAddress,
        ]),
      ),
    ]);
    const addressList = parseJson(addresses);
    const routeList = parseJson(routes);
    const interfaceUp =
      Array.isArray(addressList) &&
      addressList.some(
        (entry: { ifname?: unknown; flags?: unknown }) =>
          entry.ifname === 'eth0' && Array.isArray(entry.flags) && entry.flags.includes('UP'),
      );
    const defaultRoute =
      Array.isArray(routeList) &&
      routeList.some((entry: { dst?: unknown }) => entry.dst === 'default');
    const pingable = ping.code === 0;
    const problems: string[] = [];
    if (!interfaceUp) problems.push('the network interface eth0 is down or gone');
    if (!defaultRoute) problems.push('there is no default route');
    if (!pingable) problems.push(`${this.buildAddress} does not answer ping from its gateway`);
    const firewall = [
      '# nft list ruleset',
      nft.stdout.trim(),
      '# iptables-save',
      iptables.stdout.trim(),
    ];
    // Rules set with iptables-legacy are invisible to nft; shown only when there are some.
    if (legacy.code === 0 && /^-A /m.test(legacy.stdout)) {
      firewall.push('# iptables-legacy-save', legacy.stdout.trim());
    }
    return {
      addresses: addressList,
      routes: routeList,
      firewall: `${firewall.join('\n')}\n`,
      interfaceUp,
      defaultRoute,
      pingable,
      reachable: problems.length === 0,
      problems,
    };
  }

  destroy(): Promise<void> {
    this.destroying ??= this.doDestroy();
    return this.destroying;
  }

  private async doDestroy(): Promise<void> {
    await this.stopRecorder();
    await deleteNamespaces(this.created);
    await unlink(this.resolvConfPath).catch(() => undefined);
    await releaseSubnet(this.stateDir, this.record.subnet);
  }

  private async stopRecorder(): Promise<void> {
    const child = this.recorder;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), RECORDER_STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** `node` arguments that run the recorder: compiled JS in dist/, TypeScript through tsx in tests. */
function recorderArguments(): string[] {
  const here = fileURLToPath(import.meta.url);
  const directory = path.dirname(here);
  if (here.endsWith('.ts')) {
    // Running from src/ (vitest, tsx): tsx is resolved from this file, not from the cwd.
    const tsx = createRequire(import.meta.url).resolve('tsx');
    return ['--import', pathToFileURL(tsx).href, path.join(directory, 'sink-recorder.ts')];
  }
  return [path.join(directory, 'sink-recorder.js')];
}

function resolvConfFile(stateDir: string, record: NetworkRecord): string {
  return path.join(stateDir, `subnet-${record.subnet}.resolv.conf`);
}

/** Deletes namespaces (the build side first: the veth pair goes with it); missing ones are fine. */
async function deleteNamespaces(names: readonly string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of names) {
    const result = await runNetworkCommand('ip', ['netns', 'delete', name]);
    if (result.code === 0) deleted.push(name);
    else if (!/No such file|not exist/i.test(result.stderr)) {
      throw new SandboxError(`cannot delete network namespace ${name}: ${result.stderr.trim()}`);
    }
  }
  return deleted;
}

function parseRecorderLine(text: string): RecorderLine | undefined {
  const value = parseJson(text) as Partial<RecorderLine> | undefined;
  if (value?.event === 'ready') return { event: 'ready' };
  if (value?.event === 'error' && typeof value.message === 'string') return value as RecorderLine;
  if (value?.event !== 'attempt') return undefined;
  const attempt = value as Partial<Record<keyof NetworkAttempt, unknown>>;
  const protocols = ['dns', 'tcp', 'udp', 'http', 'tls'];
  const nullableString = (field: unknown) => field === null || typeof field === 'string';
  if (
    typeof attempt.at === 'string' &&
    typeof attempt.protocol === 'string' &&
    protocols.includes(attempt.protocol) &&
    nullableString(attempt.host) &&
    (attempt.port === null || typeof attempt.port === 'number') &&
    nullableString(attempt.url) &&
    nullableString(attempt.detail)
  ) {
    return value as RecorderLine;
  }
  return undefined;
}

function attemptOf(line: { event: 'attempt' } & NetworkAttempt): NetworkAttempt {
  return {
    at: line.at,
    protocol: line.protocol,
    host: line.host,
    port: line.port,
    url: line.url,
    detail: line.detail,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
