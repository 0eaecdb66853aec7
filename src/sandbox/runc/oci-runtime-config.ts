import { readFile } from 'node:fs/promises';
import type { SandboxCommand, SandboxMount } from '../sandbox.js';
import type { OciSeccomp } from './seccomp-profile.js';
import { seccompProfile } from './seccomp-profile.js';

/** The part of the OCI runtime spec (config.json, version 1.0.2) that Goldsmith writes. */
export interface OciRuntimeConfig {
  readonly ociVersion: string;
  readonly process: {
    readonly terminal: boolean;
    readonly user: { readonly uid: number; readonly gid: number };
    readonly args: readonly string[];
    readonly env: readonly string[];
    readonly cwd: string;
    readonly capabilities: Readonly<
      Record<'bounding' | 'effective' | 'permitted', readonly string[]>
    >;
    readonly rlimits: readonly {
      readonly type: string;
      readonly hard: number;
      readonly soft: number;
    }[];
    readonly noNewPrivileges: boolean;
  };
  readonly root: { readonly path: string; readonly readonly: boolean };
  readonly hostname: string;
  readonly mounts: readonly OciMount[];
  readonly linux: {
    readonly resources: Readonly<Record<string, unknown>>;
    readonly cgroupsPath: string;
    readonly namespaces: readonly { readonly type: string; readonly path?: string }[];
    readonly maskedPaths: readonly string[];
    readonly readonlyPaths: readonly string[];
    readonly seccomp: OciSeccomp;
  };
}

/** One entry of `mounts` in config.json. */
export interface OciMount {
  readonly destination: string;
  readonly type: string;
  readonly source: string;
  readonly options: readonly string[];
}

/**
 * Docker's default capability set, plus NET_ADMIN (a root user on an instance has it) and SYS_BOOT:
 * with it, reboot(2) in the PID namespace ends the namespace, so the run ends and is reported,
 * instead of failing with EPERM while the installer carries on.
 */
export const CONTAINER_CAPABILITIES: readonly string[] = [
  'CAP_AUDIT_WRITE',
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_MKNOD',
  'CAP_NET_ADMIN',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_RAW',
  'CAP_SETFCAP',
  'CAP_SETGID',
  'CAP_SETPCAP',
  'CAP_SETUID',
  'CAP_SYS_BOOT',
  'CAP_SYS_CHROOT',
];

/**
 * The capabilities of the container's first process, the agent: the container's, plus SYS_PTRACE
 * to watch processes that changed their user. The agent drops SYS_PTRACE for the installer.
 */
const AGENT_CAPABILITIES: readonly string[] = [...CONTAINER_CAPABILITIES, 'CAP_SYS_PTRACE'];

/** The filesystems every container gets, in Docker's layout; /run is a fresh tmpfs as at boot. */
const BASE_MOUNTS: readonly OciMount[] = [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  {
    destination: '/dev',
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
  },
  {
    destination: '/dev/pts',
    type: 'devpts',
    source: 'devpts',
    options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
  },
  {
    destination: '/dev/shm',
    type: 'tmpfs',
    source: 'shm',
    options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
  },
  {
    destination: '/dev/mqueue',
    type: 'mqueue',
    source: 'mqueue',
    options: ['nosuid', 'noexec', 'nodev'],
  },
  {
    destination: '/sys',
    type: 'sysfs',
    source: 'sysfs',
    options: ['nosuid', 'noexec', 'nodev', 'ro'],
  },
  { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=755'] },
];

/**
 * What an init such as systemd mounts at boot and cannot mount itself without CAP_SYS_ADMIN:
 * the cgroup hierarchies (below the container's own cgroup, through its cgroup namespace),
 * writable so the init can make cgroups for its services, and /run/lock.
 */
const INIT_MOUNTS: readonly OciMount[] = [
  {
    destination: '/sys/fs/cgroup',
    type: 'cgroup',
    source: 'cgroup',
    options: ['nosuid', 'noexec', 'nodev', 'relatime', 'rw'],
  },
  {
    destination: '/run/lock',
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'nodev', 'noexec', 'mode=1777', 'size=5242880'],
  },
];

/** Docker's masked paths (moby oci/defaults.go): kernel interfaces a container must not read. */
const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

/** Docker's read-only paths: kernel settings a container must not change. */
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const CPU_PERIOD_US = 100_000;

/** The hard RLIMIT_NOFILE of this process, which runc and so the container inherit. */
export async function hostOpenFilesHardLimit(): Promise<number> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const hard = /^Max open files\s+\S+\s+(\d+)/m.exec(limits)?.[1];
  // "unlimited" cannot be an RLIMIT_NOFILE (it is capped by fs.nr_open); 1024 is the safe floor.
  return hard === undefined ? 1024 : Number(hard);
}

/** The inputs of one container's config.json. */
export interface ContainerSpec {
  readonly id: string;
  readonly rootDir: string;
  readonly hostname: string;
  readonly command: Pick<SandboxCommand, 'argv' | 'env' | 'cwd' | 'mounts' | 'limits'>;
  /** The host's hard limit on open files: raising it needs a privilege the host may lack. */
  readonly openFilesHardLimit: number;
  /** Run as the container's first process in place of the command's argv. */
  readonly processArgs: readonly string[];
  /** The agent (with the capabilities it needs) or the image's own init (see INIT_MOUNTS). */
  readonly firstProcess: 'agent' | 'init';
  /** Mounts of the sandbox itself (agent, shims, file overlays), before the command's own. */
  readonly sandboxMounts: readonly SandboxMount[];
  /** A network namespace to join; without it, a fresh one with only `lo`. */
  readonly networkNamespacePath?: string;
}

/** True when the container itself mounts a fresh filesystem at or above `destination`. */
export function isInsideContainerMount(destination: string): boolean {
  return BASE_MOUNTS.some(
    (mount) => destination === mount.destination || destination.startsWith(`${mount.destination}/`),
  );
}

/** The cgroup of container `id`, below each controller's root (cgroup v1) or the unified root. */
export function containerCgroupsPath(id: string): string {
  return `/goldsmith/${id}`;
}

/** The OCI runtime config of one sandbox run. */
export function ociRuntimeConfig(spec: ContainerSpec): OciRuntimeConfig {
  const { command } = spec;
  const resources: Record<string, unknown> = {
    // runc adds its default device allow-list (null, zero, random, tty, ...) to this deny-all.
    devices: [{ allow: false, access: 'rwm' }],
    memory: { limit: command.limits.memoryBytes },
    pids: { limit: command.limits.pids },
  };
  if (command.limits.cpus > 0) {
    resources['cpu'] = {
      quota: Math.max(1000, Math.round(command.limits.cpus * CPU_PERIOD_US)),
      period: CPU_PERIOD_US,
    };
  }
  const capabilities = spec.firstProcess === 'agent' ? AGENT_CAPABILITIES : CONTAINER_CAPABILITIES;
  return {
    ociVersion: '1.0.2',
    process: {
      // An init's console is a terminal (runWithConsole); the agent's streams are pipes.
      terminal: spec.firstProcess === 'init',
      user: { uid: 0, gid: 0 },
      args: [...spec.processArgs],
      env: Object.entries(command.env).map(([name, value]) => `${name}=${value}`),
      cwd: command.cwd,
      capabilities: {
        bounding: capabilities,
        effective: capabilities,
        permitted: capabilities,
      },
      // Debian's default soft limit for a login; the hard limit stays the host's.
      rlimits: [
        {
          type: 'RLIMIT_NOFILE',
          hard: spec.openFilesHardLimit,
          soft: Math.min(1024, spec.openFilesHardLimit),
        },
      ],
      // setuid programs (sudo, su) must work as on an instance.
      noNewPrivileges: false,
    },
    root: { path: spec.rootDir, readonly: false },
    hostname: spec.hostname,
    mounts: [
      ...BASE_MOUNTS,
      ...(spec.firstProcess === 'init' ? INIT_MOUNTS : []),
      ...[...spec.sandboxMounts, ...command.mounts].map(bindMount),
    ],
    linux: {
      resources,
      cgroupsPath: containerCgroupsPath(spec.id),
      namespaces: [
        ...['pid', 'mount', 'uts', 'ipc', 'cgroup'].map((type) => ({ type })),
        spec.networkNamespacePath === undefined
          ? { type: 'network' }
          : { type: 'network', path: spec.networkNamespacePath },
      ],
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
      seccomp: seccompProfile(),
    },
  };
}

function bindMount(mount: SandboxMount): OciMount {
  return {
    destination: mount.destination,
    type: 'bind',
    source: mount.source,
    // nosuid/nodev on read-only binds: staged files and our agent need neither.
    options: ['bind', 'rbind', ...(mount.readOnly ? ['ro', 'nosuid', 'nodev'] : ['rw'])],
  };
}
