import { lstat, mkdir, rm, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type {
  RebootAttempt,
  SandboxCommand,
  SandboxMount,
  SandboxOutcome,
  SandboxSession,
} from '../sandbox.js';
import { SandboxError } from '../sandbox.js';
import { applyAgentEvent, emptyAgentReport } from './agent-events.js';
import type { AgentReport } from './agent-events.js';
import type { CgroupCounters } from './cgroup-counters.js';
import { maxCounters, readCgroupCounters } from './cgroup-counters.js';
import { containerExit } from './exit-status.js';
import { removeTreeOnOneFileSystem, unmountAllUnder } from './host-mounts.js';
import {
  containerCgroupsPath,
  hostOpenFilesHardLimit,
  isInsideContainerMount,
  ociRuntimeConfig,
} from './oci-runtime-config.js';
import { OutputLines } from './output-lines.js';
import { AGENT_IN_CONTAINER, rebootShimMounts } from './reboot-shims.js';
import type { RuncCli } from './runc-cli.js';
import { runcLogErrors } from './runc-cli.js';
import { detachLoopDevices, diskIsFull } from './upper-disk.js';
import { waitForChildExit } from '../../util/child-exit.js';

/** Host directories of one session under the sandbox's state directory. */
export interface SessionPaths {
  readonly id: string;
  readonly sessionDir: string;
  /** The sparse file holding the size-limited filesystem of upper and work. */
  readonly diskImage: string;
  /** Where that filesystem is mounted. */
  readonly diskDir: string;
  readonly upperDir: string;
  readonly workDir: string;
  readonly mergedDir: string;
  readonly bundleDir: string;
}

/** The directories of session `id` under `stateDir`. */
export function sessionPaths(stateDir: string, id: string): SessionPaths {
  const sessionDir = path.join(stateDir, id);
  const diskDir = path.join(sessionDir, 'disk');
  return {
    id,
    sessionDir,
    diskImage: path.join(sessionDir, 'disk.img'),
    diskDir,
    upperDir: path.join(diskDir, 'upper'),
    workDir: path.join(diskDir, 'work'),
    mergedDir: path.join(sessionDir, 'merged'),
    bundleDir: path.join(sessionDir, 'bundle'),
  };
}

/** How often a kill is retried while runc is still creating the container. */
const KILL_RETRY_MS = 100;
/** How often the cgroup counters are sampled, for runs that end without the agent's report. */
const COUNTER_SAMPLE_MS = 1000;
/** runc's status when reboot(2) ended the PID namespace (pid_namespaces(7)): SIGHUP, SIGINT. */
const REBOOT_SYSCALL_STATUS = new Map<number, RebootAttempt['kind']>([
  [128 + constants.signals.SIGHUP, 'restart'],
  [128 + constants.signals.SIGINT, 'power-off'],
]);
/** An init's console: wide, so that systemd does not cut its status lines to 80 columns. */
const CONSOLE_SIZE = { columns: 200, rows: 50 };
const NO_COUNTERS: CgroupCounters = { memoryOomKills: 0, pidsLimitHits: 0 };

/** What a session needs besides its directories. */
export interface RuncSessionOptions {
  readonly hostname: string;
  /** The agent binary on the host (agent/build/goldsmith-agent). */
  readonly agentPath: string;
  /** The host's console relay (agent/goldsmith-console.c), for runs of an init. */
  readonly consolePath: string;
  readonly networkNamespacePath?: string;
  readonly fileOverlays: readonly SandboxMount[];
}

/** A mount point the session made in the root for one run, removed afterwards. */
interface CreatedPath {
  readonly path: string;
  readonly isDirectory: boolean;
  /** The parent's times before, restored so the mount point leaves no trace in its metadata. */
  readonly parentTimes: { readonly atime: Date; readonly mtime: Date };
}

/** One prepared overlay root on which runc runs commands, one at a time. */
export class RuncSession implements SandboxSession {
  readonly rootDir: string;
  readonly upperDir: string;
  private active: Promise<SandboxOutcome> | undefined;
  private stopActive: AbortController | undefined;
  private disposing: Promise<void> | undefined;

  constructor(
    private readonly paths: SessionPaths,
    private readonly runc: RuncCli,
    private readonly options: RuncSessionOptions,
  ) {
    this.rootDir = paths.mergedDir;
    this.upperDir = paths.upperDir;
  }

  /** Runs one command under the agent (the container's first process); see SandboxSession.run. */
  async run(command: SandboxCommand): Promise<SandboxOutcome> {
    if (this.disposing !== undefined) {
      throw new SandboxError(`Sandbox session ${this.paths.id} is disposed`);
    }
    if (this.active !== undefined) {
      throw new SandboxError(`Sandbox session ${this.paths.id} is already running a command`);
    }
    command.signal?.throwIfAborted();
    this.stopActive = new AbortController();
    this.active = this.runOnce(command, this.stopActive.signal);
    try {
      return await this.active;
    } finally {
      this.active = undefined;
      this.stopActive = undefined;
    }
  }

  /** Stops a running command, deletes the container, unmounts and removes the session. */
  dispose(): Promise<void> {
    this.disposing ??= this.disposeOnce().catch((error: unknown) => {
      // Let a later call try again, e.g. after whatever kept the mount busy is gone.
      this.disposing = undefined;
      throw error;
    });
    return this.disposing;
  }

  private async disposeOnce(): Promise<void> {
    if (this.active !== undefined) {
      this.stopActive?.abort();
      await this.active.catch(() => undefined);
    }
    await teardownSession(this.runc, this.paths);
  }

  private async runOnce(command: SandboxCommand, stop: AbortSignal): Promise<SandboxOutcome> {
    const { id, bundleDir, mergedDir } = this.paths;
    if (command.argv.length === 0 || !path.posix.isAbsolute(command.cwd)) {
      throw new SandboxError('A sandbox command needs an argv and an absolute cwd');
    }
    const created = await createMountPoints(mergedDir, [
      ...this.options.fileOverlays,
      ...command.mounts,
    ]);
    try {
      let callbackError: unknown;
      const deliver = (stream: 'stdout' | 'stderr') => (text: string) => {
        try {
          command.onLine(stream, text);
        } catch (error) {
          callbackError ??= error;
        }
      };
      const stdout = new OutputLines(deliver('stdout'));
      const stderr = new OutputLines(deliver('stderr'));

      const cgroupsPath = containerCgroupsPath(id);
      const asInit = command.asInit === true;
      const config = ociRuntimeConfig({
        id,
        rootDir: mergedDir,
        hostname: this.options.hostname,
        command,
        openFilesHardLimit: await hostOpenFilesHardLimit(),
        firstProcess: asInit ? 'init' : 'agent',
        processArgs: asInit
          ? command.argv
          : [
              AGENT_IN_CONTAINER,
              '--input-wait-ms',
              String(Math.max(0, Math.round(command.inputWaitMs))),
              '--',
              ...command.argv,
            ],
        sandboxMounts: [
          ...(asInit
            ? []
            : [
                { source: this.options.agentPath, destination: AGENT_IN_CONTAINER, readOnly: true },
                ...(await rebootShimMounts(mergedDir, this.options.agentPath)),
              ]),
          ...this.options.fileOverlays,
        ],
        ...(this.options.networkNamespacePath === undefined
          ? {}
          : { networkNamespacePath: this.options.networkNamespacePath }),
      });
      await writeFile(path.join(bundleDir, 'config.json'), JSON.stringify(config, null, 2));
      const logFile = path.join(bundleDir, 'runc.log');
      await rm(logFile, { force: true });

      const startedAt = Date.now();
      const run = asInit
        ? this.runc.runWithConsole(id, bundleDir, logFile, {
            relayPath: this.options.consolePath,
            ...CONSOLE_SIZE,
          })
        : this.runc.run(id, bundleDir, logFile);
      const { child } = run;
      run.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
      run.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));

      // The agent's reports. On its exit event the container still lives: read the cgroup
      // counters, then answer, so the agent exits and runc deletes the cgroup.
      const report = emptyAgentReport();
      let counters = NO_COUNTERS;
      const sample = async (): Promise<void> => {
        counters = maxCounters(counters, await readCgroupCounters(cgroupsPath));
      };
      let finalSample: Promise<void> = Promise.resolve();
      const agentLines = new OutputLines((line) => {
        if (applyAgentEvent(report, line) !== 'exit') return;
        finalSample = sample().finally(() => {
          if (!run.agent.destroyed) run.agent.write('\n');
        });
      });
      run.agent.on('error', () => undefined);
      run.agent.setEncoding('utf8').on('data', (chunk: string) => agentLines.push(chunk));
      const sampler = setInterval(() => void sample(), COUNTER_SAMPLE_MS);
      const exited = waitForChildExit(child);

      let timedOut = false;
      let killed = false;
      let exitedYet = false;
      void exited.finally(() => (exitedYet = true)).catch(() => undefined);
      const killContainer = (): void => {
        if (killed) return;
        killed = true;
        // PID 1 ignores SIGTERM; SIGKILL to it ends the whole PID namespace. runc may still be
        // creating the container, so the kill is repeated until runc run returns.
        void (async () => {
          while (!exitedYet) {
            await this.runc.kill(id, 'KILL').catch(() => false);
            await delay(KILL_RETRY_MS);
          }
        })();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killContainer();
      }, command.limits.wallClockMs);
      // A stop asked for by the caller may first give the command a chance to end by itself.
      let graceTimer: NodeJS.Timeout | undefined;
      const stopCommand = (): void => {
        const graceful = command.stop;
        if (graceful === undefined || killed || graceTimer !== undefined) {
          killContainer();
          return;
        }
        graceTimer = setTimeout(killContainer, graceful.graceMs);
        void this.runc.kill(id, graceful.signal).then(
          (sent) => (sent ? undefined : killContainer()),
          () => killContainer(),
        );
      };
      command.signal?.addEventListener('abort', stopCommand, { once: true });
      stop.addEventListener('abort', killContainer, { once: true });
      // An abort while the mount points were made fired before anyone listened.
      if (command.signal?.aborted === true || stop.aborted) killContainer();

      let exit: { code: number | null; signal: NodeJS.Signals | null };
      try {
        exit = await exited;
      } catch (error) {
        throw new SandboxError(`Could not start runc: ${errorMessage(error)}`, { cause: error });
      } finally {
        clearTimeout(timer);
        clearTimeout(graceTimer);
        clearInterval(sampler);
        command.signal?.removeEventListener('abort', stopCommand);
        stop.removeEventListener('abort', killContainer);
      }
      stdout.end();
      stderr.end();
      agentLines.end();
      await finalSample;
      const durationMs = Date.now() - startedAt;
      await this.runc.deleteForce(id);
      if (callbackError !== undefined) throw callbackError;

      const outcome = {
        timedOut,
        durationMs,
        leftoverProcesses: report.leftoverProcesses,
        inputWait: report.inputWait,
        reboot: report.reboot,
        limitsHit: {
          memory: counters.memoryOomKills > 0,
          processes: counters.pidsLimitHits > 0,
          disk: await diskIsFull(this.paths.diskDir),
        },
      };
      if (killed) return { ...outcome, exitCode: null, signal: 'SIGKILL' };
      const runcErrors = await runcLogErrors(logFile);
      if (runcErrors.length > 0) {
        throw new SandboxError(`runc could not run container ${id}: ${runcErrors.join('; ')}`);
      }
      if (exit.code === null) {
        throw new SandboxError(`runc run of ${id} was ended by ${exit.signal ?? 'a signal'}`);
      }
      return {
        ...outcome,
        ...(asInit ? initExit(exit.code) : this.installerExit(report, exit.code, counters)),
      };
    } finally {
      await removeMountPoints(created);
    }
  }

  /** How the installer ended: from the agent's report, or from runc when the agent had none. */
  private installerExit(
    report: AgentReport,
    runcStatus: number,
    counters: CgroupCounters,
  ): Pick<SandboxOutcome, 'exitCode' | 'signal' | 'reboot'> {
    if (report.exit !== undefined) {
      const { status, signal } = report.exit;
      return {
        exitCode: status,
        signal: signal === null ? null : (signalName(signal) ?? `SIG${signal}`),
        reboot: report.reboot,
      };
    }
    // reboot(2) ended the PID namespace, the agent with it.
    const rebooted = rebootBySyscall(runcStatus);
    if (rebooted !== undefined) return rebooted;
    // The memory cgroup's OOM killer may pick the agent itself when the installer is small.
    if (counters.memoryOomKills > 0) return { exitCode: null, signal: 'SIGKILL', reboot: null };
    throw new SandboxError(
      `The sandbox agent of ${this.paths.id} ended without a report (runc status ${runcStatus}, ` +
        `${JSON.stringify(containerExit(runcStatus))}); unparsed: ${report.unparsed.join(' | ')}`,
    );
  }
}

/** How an init run as the first process ended: by reboot(2), which ends its namespace, or its status. */
function initExit(runcStatus: number): Pick<SandboxOutcome, 'exitCode' | 'signal' | 'reboot'> {
  return rebootBySyscall(runcStatus) ?? { ...containerExit(runcStatus), reboot: null };
}

/** The outcome when runc's status says reboot(2) ended the PID namespace; nothing says who called it. */
function rebootBySyscall(
  runcStatus: number,
): Pick<SandboxOutcome, 'exitCode' | 'signal' | 'reboot'> | undefined {
  const kind = REBOOT_SYSCALL_STATUS.get(runcStatus);
  return kind === undefined
    ? undefined
    : { exitCode: null, signal: null, reboot: { via: 'syscall', kind, command: null } };
}

/** Kills and deletes the session's container, unmounts its root and removes its directory. */
export async function teardownSession(runc: RuncCli, paths: SessionPaths): Promise<void> {
  try {
    await runc.deleteForce(paths.id);
    await unmountAllUnder(paths.sessionDir);
    // A lazily unmounted or half-made disk may still hold its loop device.
    await detachLoopDevices(paths.diskImage);
    await removeTreeOnOneFileSystem(paths.sessionDir);
  } catch (error) {
    throw new SandboxError(`Could not remove sandbox session ${paths.id}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * Makes the bind-mount destinations that the root lacks, so that runc does not leave them in the
 * upper directory (they would end up in the committed layer). Destinations inside the container's
 * own tmpfs mounts (/run, /dev) need nothing.
 */
async function createMountPoints(
  mergedDir: string,
  mounts: readonly SandboxMount[],
): Promise<CreatedPath[]> {
  const created: CreatedPath[] = [];
  try {
    for (const mount of mounts) {
      const destination = path.posix.normalize(mount.destination);
      if (!path.posix.isAbsolute(destination) || destination === '/') {
        throw new SandboxError(
          `Mount destination must be an absolute path below /: ${destination}`,
        );
      }
      const source = await stat(mount.source).catch((error: unknown) => {
        throw new SandboxError(`Mount source ${mount.source}: ${errorMessage(error)}`);
      });
      if (isInsideContainerMount(destination)) continue;
      const parts = destination.split('/').filter((part) => part !== '');
      let current = mergedDir;
      for (const [index, part] of parts.entries()) {
        const parent = current;
        current = path.join(current, part);
        const existing = await lstat(current).catch(() => undefined);
        // runc resolves symlinks inside the root itself; the path is not ours to manage.
        if (existing?.isSymbolicLink()) break;
        if (existing !== undefined) continue;
        const parentStat = await stat(parent);
        const isDirectory = index < parts.length - 1 || source.isDirectory();
        if (isDirectory) await mkdir(current);
        else await writeFile(current, '', { flag: 'wx' });
        created.push({
          path: current,
          isDirectory,
          parentTimes: { atime: parentStat.atime, mtime: parentStat.mtime },
        });
      }
    }
    return created;
  } catch (error) {
    await removeMountPoints(created);
    if (error instanceof SandboxError) throw error;
    throw new SandboxError(`Could not create mount points: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

async function removeMountPoints(created: readonly CreatedPath[]): Promise<void> {
  for (const entry of [...created].reverse()) {
    try {
      if (entry.isDirectory) await rmdir(entry.path);
      else await unlink(entry.path);
      await utimes(path.dirname(entry.path), entry.parentTimes.atime, entry.parentTimes.mtime);
    } catch {
      // The command put files next to its mount point: they are its changes and stay.
    }
  }
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

function signalName(signal: number): string | undefined {
  return SIGNAL_NAMES.get(signal);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
