import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { ImageService } from '../images/image-service.js';
import type { Account, LogLine } from '../types.js';
import type { Instance } from './instance.js';
import { ACTIVE_INSTANCE_STATES, newInstanceId } from './instance.js';
import type { InstanceHost } from './instance-host.js';

export interface InstanceServiceOptions {
  /** Pending, running and stopping instances one account may have at once. */
  readonly instanceLimit: number;
  /** The host that runs instances in this process; undefined where there is no sandbox. */
  readonly host: () => InstanceHost | undefined;
}

export interface LaunchRequest {
  readonly imageId: string;
  /** argv; without it the image's init runs (see defaultCommand). */
  readonly command?: readonly string[];
}

/** A page of an instance's console. */
export interface ConsolePage {
  readonly lines: LogLine[];
  /** Pass as `after` to read on. */
  readonly nextSeq: number;
  /** True once the instance ended and every line was read: nothing more will come. */
  readonly complete: boolean;
}

/**
 * Images launched as instances on the Goldsmith host. An account sees and acts on its own
 * instances only; another account's instance is "not found", never "forbidden".
 */
export class InstanceService {
  /** Launches of one account in this process, one at a time, so two cannot both pass the limit. */
  private readonly launching = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly images: ImageService,
    private readonly clock: Clock,
    private readonly options: InstanceServiceOptions,
  ) {}

  /** Records a pending instance of an image the caller may use and starts it in the background. */
  async launch(caller: Account, request: LaunchRequest): Promise<Instance> {
    const host = this.options.host();
    if (host === undefined) {
      throw new DomainError(
        'INSTANCE_HOST_UNAVAILABLE',
        'this Goldsmith server runs no workers, so it has no sandbox to run instances in',
      );
    }
    const image = await this.images.get(caller, request.imageId);
    const previous = this.launching.get(caller.id) ?? Promise.resolve();
    const launched = previous
      .catch(() => undefined)
      .then(async () => {
        const active = await this.store.instances.countActive(caller.id);
        if (active >= this.options.instanceLimit) {
          throw new DomainError(
            'INSTANCE_LIMIT_EXCEEDED',
            `the account already has ${active} of its ${this.options.instanceLimit} instances running`,
            { limit: this.options.instanceLimit },
          );
        }
        const instance: Instance = {
          id: newInstanceId(),
          accountId: caller.id,
          imageId: image.id,
          command: request.command === undefined ? null : [...request.command],
          defaultCommand: request.command === undefined,
          state: 'pending',
          stateReason: null,
          exitCode: null,
          launchedAt: this.clock.now().toISOString(),
          stoppedAt: null,
          terminatedAt: null,
          host: host.owner,
        };
        await this.store.instances.insert(instance);
        host.launch(instance, image);
        return instance;
      });
    this.launching.set(caller.id, launched);
    try {
      return await launched;
    } finally {
      if (this.launching.get(caller.id) === launched) this.launching.delete(caller.id);
    }
  }

  /** The caller's instances, terminated ones included, newest first. */
  list(caller: Account): Promise<Instance[]> {
    return this.store.instances.listForAccount(caller.id);
  }

  /** One of the caller's instances. */
  async get(caller: Account, id: string): Promise<Instance> {
    const instance = await this.store.instances.get(caller.id, id);
    if (instance === undefined) {
      throw new DomainError('INSTANCE_NOT_FOUND', `instance ${id} not found`);
    }
    return instance;
  }

  /** Console lines (stdout, stderr and Goldsmith's own) after sequence number `after`. */
  async console(caller: Account, id: string, after: number, limit: number): Promise<ConsolePage> {
    const instance = await this.get(caller, id);
    const lines = await this.store.logs.read(instance.id, after, limit);
    const last = lines.at(-1)?.seq ?? after;
    const ended = !ACTIVE_INSTANCE_STATES.includes(instance.state);
    return { lines, nextSeq: last, complete: ended && lines.length < limit };
  }

  /** Kills the instance's command (its whole PID namespace); its files stay until terminate. */
  async stop(caller: Account, id: string): Promise<Instance> {
    const instance = await this.get(caller, id);
    if (!ACTIVE_INSTANCE_STATES.includes(instance.state)) return instance;
    const host = this.requireHost(instance);
    await this.store.instances.update(instance.id, { state: 'stopping' });
    await host.stop(instance.id);
    const after = await this.get(caller, id);
    // The command may have ended on its own just as the stop was recorded.
    if (after.state !== 'stopping') return after;
    return this.store.instances.update(instance.id, {
      state: 'stopped',
      stateReason: 'stopped on request',
      stoppedAt: this.clock.now().toISOString(),
    });
  }

  /** Stops the instance if need be and removes its sandbox; the record stays, as terminated. */
  async terminate(caller: Account, id: string): Promise<Instance> {
    const instance = await this.get(caller, id);
    if (instance.state === 'terminated') return instance;
    if (instance.host !== null) {
      const host = this.requireHost(instance);
      if (ACTIVE_INSTANCE_STATES.includes(instance.state)) {
        await this.store.instances.update(instance.id, { state: 'stopping' });
      }
      await host.terminate(instance.id);
    }
    const now = this.clock.now().toISOString();
    return this.store.instances.update(instance.id, {
      state: 'terminated',
      terminatedAt: now,
      stoppedAt: instance.stoppedAt ?? now,
      host: null,
    });
  }

  /** The host of `instance`: this process's, when it runs it. */
  private requireHost(instance: Instance): InstanceHost {
    const host = this.options.host();
    if (host === undefined || host.owner !== instance.host) {
      throw new DomainError(
        'INSTANCE_HOST_UNAVAILABLE',
        `instance ${instance.id} runs in another Goldsmith process (${instance.host ?? 'none'})`,
      );
    }
    return host;
  }
}
