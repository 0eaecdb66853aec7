import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * The process's JSON logger, made before anything that logs is opened, so the event bus, the
 * HTTP server and the workers write the same structured lines. Undefined keeps a process quiet
 * (tests).
 */
export function openProcessLogger(options: LoggerOptions | undefined): Logger | undefined {
  return options === undefined ? undefined : pino(options);
}
