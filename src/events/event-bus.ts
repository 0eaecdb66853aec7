import type { BuildState } from '../domain/types.js';

export type GoldsmithEvent =
  | {
      readonly type: 'build.updated';
      readonly accountId: string;
      readonly buildId: string;
      readonly packageGroupId: string;
      readonly state: BuildState;
    }
  | {
      readonly type: 'private-build.updated';
      readonly accountId: string;
      readonly buildId: string;
      readonly status: string;
    }
  | { readonly type: 'build.log'; readonly buildId: string }
  | { readonly type: 'job.enqueued'; readonly kind: string };

/** Fan-out of what happens, to live views (SSE, CLI watch) and idle workers. */
export interface EventBus {
  publish(event: GoldsmithEvent): void;
  /** Returns the function that ends the subscription. */
  subscribe(listener: (event: GoldsmithEvent) => void): () => void;
}
