import { randomBytes } from 'node:crypto';

/** Where an instance is in its life; `terminated` and `failed` are final. */
export const INSTANCE_STATES = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'terminated',
  'failed',
] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** States in which an instance holds a running (or starting) command: they count to the limit. */
export const ACTIVE_INSTANCE_STATES: readonly InstanceState[] = ['pending', 'running', 'stopping'];

/** An image launched on the Goldsmith host: its command in a sandbox of its own. */
export interface Instance {
  /** `i-` and 17 hex digits. */
  readonly id: string;
  readonly accountId: string;
  readonly imageId: string;
  /** The command run; null while a default command is still being chosen (pending). */
  readonly command: readonly string[] | null;
  /** True when the caller gave no command and the image's init (or a stand-in) runs. */
  readonly defaultCommand: boolean;
  readonly state: InstanceState;
  /** Why it is in this state, in words: how it stopped, why it failed. */
  readonly stateReason: string | null;
  readonly exitCode: number | null;
  readonly launchedAt: string;
  readonly stoppedAt: string | null;
  readonly terminatedAt: string | null;
  /** The process hosting its sandbox (`hostname:pid:startTicks`); null once it holds none. */
  readonly host: string | null;
}

/** Fields of an instance that change as it runs. */
export interface InstanceUpdate {
  readonly command?: readonly string[];
  readonly state?: InstanceState;
  readonly stateReason?: string | null;
  readonly exitCode?: number | null;
  readonly stoppedAt?: string | null;
  readonly terminatedAt?: string | null;
  readonly host?: string | null;
}

/** A new instance id: `i-` and 17 hex digits. */
export function newInstanceId(): string {
  return `i-${randomBytes(9).toString('hex').slice(0, 17)}`;
}
