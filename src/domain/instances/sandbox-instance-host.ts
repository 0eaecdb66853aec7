import { hostname } from 'node:os';

import type { EventBus } from '../../events/event-bus.js';
import { BuildLogWriter } from '../../pipeline/build-log-writer.js';
import type { SinkNetwork } from '../../sandbox/network/sink-network.js';
import type {
  Sandbox,
  SandboxLimits,
  SandboxOutcome,
  SandboxSession,
} from '../../sandbox/sandbox.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { Image } from '../types.js';
import type { Instance, InstanceUpdate } from './instance.js';
import { ACTIVE_INSTANCE_STATES } from './instance.js';
import type { InstanceHost } from './instance-host.js';
import { instanceRun } from './instance-run.js';

/** What a root login shell has, minus TERM (there is no terminal); `container` tells systemd where it is. */
const INSTANCE_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  container: 'goldsmith',
};

export interface SandboxInstanceHostDeps {
  readonly store: Store;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly sandbox: Sandbox;
  /** A fresh network for one instance whose traffic goes nowhere (a sink network). */
  readonly createNetwork: (id: string) => Promise<SinkNetwork>;
  /** The image's root directory on this host, extracted first if need be. */
  readonly resolveRoot: (
    image: Image,
    progress: (line: string) => void,
    signal: AbortSignal,
  ) => Promise<string>;
  readonly limits: SandboxLimits;
  readonly diskLimitBytes: number;
  /** How long a stop waits for the instance to end by itself before it is killed. */
  readonly stopGraceMs: number;
  /** This process, as `hostname:pid:startTicks`. */
  readonly owner: string;
}

/** One instance this process runs: its sandbox and what stops it. */
interface LiveInstance {
  readonly abort: AbortController;
  /** Why the run is being ended from outside, if it is. */
  ending: 'stop' | 'shutdown' | undefined;
  session: SandboxSession | undefined;
  network: SinkNetwork | undefined;
  done: Promise<void>;
}

/**
 * Runs each instance in a sandbox session of its own (the image's root read-only below a fresh
 * upper directory, which keeps the instance's writes until it is terminated) joined to a fresh
 * sink network, with the command's output going to the log repository line by line.
 */
export class SandboxInstanceHost implements InstanceHost {
  readonly owner: string;
  private readonly live = new Map<string, LiveInstance>();

  constructor(private readonly deps: SandboxInstanceHostDeps) {
    this.owner = deps.owner;
  }

  launch(instance: Instance, image: Image): void {
    const live: LiveInstance = {
      abort: new AbortController(),
      ending: undefined,
      session: undefined,
      network: undefined,
      done: Promise.resolve(),
    };
    this.live.set(instance.id, live);
    live.done = this.run(instance, image, live);
  }

  async stop(instanceId: string): Promise<boolean> {
    const live = this.live.get(instanceId);
    if (live === undefined) return false;
    live.ending ??= 'stop';
    live.abort.abort();
    await live.done;
    return true;
  }

  async terminate(instanceId: string): Promise<void> {
    const live = this.live.get(instanceId);
    if (live === undefined) return;
    await this.stop(instanceId);
    await release(live);
    this.live.delete(instanceId);
  }

  /** Ends every instance of this process (recorded as failed) and removes their sandboxes. */
  async shutdown(): Promise<void> {
    for (const [id, live] of this.live) {
      live.ending ??= 'shutdown';
      live.abort.abort();
      await live.done;
      await release(live).catch(() => undefined);
      this.live.delete(id);
    }
  }

  /**
   * Instances that a dead process of this machine hosted: the pending, running and stopping ones
   * are marked failed, and none keeps a host, since their sandboxes went with that process
   * (RuncSandbox.cleanupStale removes what is left). Returns the ids marked failed.
   */
  async releaseOrphans(isAlive: (owner: string) => Promise<boolean>): Promise<string[]> {
    const failed: string[] = [];
    for (const instance of await this.deps.store.instances.listHosted()) {
      if (instance.host === null || !instance.host.startsWith(`${hostname()}:`)) continue;
      if (await isAlive(instance.host)) continue;
      if (ACTIVE_INSTANCE_STATES.includes(instance.state)) {
        await this.deps.store.instances.update(instance.id, {
          state: 'failed',
          stateReason: 'the Goldsmith process that ran it ended; its sandbox was removed',
          stoppedAt: now(this.deps.clock),
          host: null,
        });
        failed.push(instance.id);
      } else {
        await this.deps.store.instances.update(instance.id, { host: null });
      }
    }
    return failed;
  }

  private async run(instance: Instance, image: Image, live: LiveInstance): Promise<void> {
    const { store, clock } = this.deps;
    const log = new BuildLogWriter(instance.id, store.logs, this.deps.events, clock);
    const signal = live.abort.signal;
    const update = (change: InstanceUpdate) => store.instances.update(instance.id, change);
    try {
      log.system(`launching image ${image.id}`);
      const rootDir = await this.deps.resolveRoot(image, (line) => log.system(line), signal);
      signal.throwIfAborted();
      live.network = await this.deps.createNetwork(instance.id);
      live.session = await this.deps.sandbox.prepare({
        id: instance.id,
        lowerDirs: [rootDir],
        hostname: instance.id,
        diskLimitBytes: this.deps.diskLimitBytes,
        networkNamespacePath: live.network.namespacePath,
        fileOverlays: [{ source: live.network.resolvConfPath, destination: '/etc/resolv.conf' }],
      });
      const { argv, asInit, stopSignal } = await instanceRun(
        live.session.rootDir,
        instance.command,
      );
      signal.throwIfAborted();
      await update({ command: argv, state: 'running' });
      log.system(`running ${JSON.stringify(argv)}${asInit ? ' as the init (PID 1)' : ''}`);
      const outcome = await live.session.run({
        argv,
        asInit,
        stop: { signal: stopSignal, graceMs: this.deps.stopGraceMs },
        env: INSTANCE_ENV,
        cwd: '/',
        mounts: [],
        limits: this.deps.limits,
        // An instance may wait for input forever: nothing ever types into its console.
        inputWaitMs: 0,
        onLine: (stream, text) => log.write(stream, text),
        signal,
      });
      const reason = live.ending === 'stop' ? 'stopped on request' : describeOutcome(outcome);
      log.system(`instance stopped: ${reason}`);
      await log.flush().catch(() => undefined);
      await update(
        live.ending === 'shutdown'
          ? { state: 'failed', stateReason: SHUTDOWN_REASON, stoppedAt: now(clock), host: null }
          : {
              state: 'stopped',
              stateReason: reason,
              exitCode: outcome.exitCode,
              stoppedAt: now(clock),
            },
      );
    } catch (error) {
      const reason =
        live.ending === 'stop'
          ? 'stopped on request before its command started'
          : live.ending === 'shutdown'
            ? SHUTDOWN_REASON
            : `could not run: ${error instanceof Error ? error.message : String(error)}`;
      log.system(reason);
      await log.flush().catch(() => undefined);
      // Nothing worth keeping: the command never ran, or the sandbox itself broke.
      await release(live).catch(() => undefined);
      await update({
        state: live.ending === 'stop' ? 'stopped' : 'failed',
        stateReason: reason,
        stoppedAt: now(clock),
        host: null,
      }).catch(() => undefined);
    }
  }
}

const SHUTDOWN_REASON = 'the Goldsmith server stopped; its sandbox was removed';

/** Disposes the session (its upper directory with it) and the network. */
async function release(live: LiveInstance): Promise<void> {
  const { session, network } = live;
  live.session = undefined;
  live.network = undefined;
  await session?.dispose();
  await network?.destroy();
}

function now(clock: Clock): string {
  return clock.now().toISOString();
}

function describeOutcome(outcome: SandboxOutcome): string {
  if (outcome.reboot !== null) return `${outcome.reboot.kind} requested from inside`;
  if (outcome.timedOut) return 'reached its time limit';
  if (outcome.limitsHit.memory) return 'ran out of memory';
  return outcome.exitCode !== null
    ? `its command exited with status ${outcome.exitCode}`
    : `its command was ended by ${outcome.signal ?? 'a signal'}`;
}
