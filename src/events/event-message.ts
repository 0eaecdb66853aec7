import { BUILD_STATES } from '../domain/types.js';
import type { GoldsmithEvent } from './event-bus.js';

/** An event as it travels between processes, with the bus that sent it. */
export interface EventMessage {
  /** The sending bus's random id, so a bus can skip its own echoes. */
  readonly origin: string;
  readonly event: GoldsmithEvent;
}

/** The JSON text of a message. */
export function encodeEventMessage(message: EventMessage): string {
  return JSON.stringify({ origin: message.origin, event: message.event });
}

/**
 * Parses and checks a message another process sent; `undefined` for
 * anything but a well-formed message carrying a known, shareable event.
 */
export function parseEventMessage(text: string): EventMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !isNonEmptyString(value['origin'])) return undefined;
  const event = parseEvent(value['event']);
  return event === undefined ? undefined : { origin: value['origin'], event };
}

/** Copies out exactly the fields of the event type, so stray fields never reach listeners. */
function parseEvent(value: unknown): GoldsmithEvent | undefined {
  if (!isRecord(value)) return undefined;
  const field = (name: string): string | undefined => {
    const text = value[name];
    return typeof text === 'string' ? text : undefined;
  };
  switch (value['type']) {
    case 'build.updated': {
      const [accountId, buildId, packageGroupId, state] = [
        field('accountId'),
        field('buildId'),
        field('packageGroupId'),
        BUILD_STATES.find((s) => s === value['state']),
      ];
      if (accountId === undefined || buildId === undefined || packageGroupId === undefined)
        return undefined;
      if (state === undefined) return undefined;
      return { type: 'build.updated', accountId, buildId, packageGroupId, state };
    }
    case 'private-build.updated': {
      const [accountId, buildId, status] = [field('accountId'), field('buildId'), field('status')];
      if (accountId === undefined || buildId === undefined || status === undefined)
        return undefined;
      return { type: 'private-build.updated', accountId, buildId, status };
    }
    case 'build.log': {
      const buildId = field('buildId');
      return buildId === undefined ? undefined : { type: 'build.log', buildId };
    }
    case 'job.enqueued': {
      const kind = field('kind');
      return kind === undefined ? undefined : { type: 'job.enqueued', kind };
    }
    // `events.resynced` speaks of one bus's own link, so it never travels.
    default:
      return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
