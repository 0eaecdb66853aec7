import type { Image } from '../types.js';
import type { Instance } from './instance.js';

/**
 * Where instances run: a process with a sandbox. The service decides who may do what; the host
 * runs, stops and removes sandboxes and records the state changes it causes.
 */
export interface InstanceHost {
  /** Names this process in `Instance.host`, so a later start can tell its instances apart. */
  readonly owner: string;
  /** Starts `instance` (recorded as pending) in the background; it becomes running, then stopped or failed. */
  launch(instance: Instance, image: Image): void;
  /** Kills the instance's command and waits until it is recorded as stopped; false if it runs nowhere here. */
  stop(instanceId: string): Promise<boolean>;
  /** Stops the instance if need be and removes its sandbox, upper directory and network. */
  terminate(instanceId: string): Promise<void>;
}
