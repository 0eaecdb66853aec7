/** The OCI runtime spec's `linux.seccomp` (config-linux.md, "Seccomp"). */
export interface OciSeccomp {
  readonly defaultAction: string;
  readonly architectures: readonly string[];
  readonly syscalls: readonly OciSeccompRule[];
}

/** One rule of `linux.seccomp.syscalls`. */
export interface OciSeccompRule {
  readonly names: readonly string[];
  readonly action: string;
  readonly errnoRet?: number;
  readonly args?: readonly {
    readonly index: number;
    readonly value: number;
    readonly valueTwo?: number;
    readonly op: string;
  }[];
}

const EPERM = 1;
const ENOSYS = 38;
/** clone(2): the flag that makes a new user namespace, where dropped capabilities come back. */
const CLONE_NEWUSER = 0x10000000;

/**
 * System calls refused with EPERM. The capabilities the sandbox drops already stop most of them;
 * the filter is the second wall, for kernel bugs reachable without a capability. Each group says
 * why an installer on a real instance would never need it in a build.
 */
const DENIED: readonly { readonly why: string; readonly names: readonly string[] }[] = [
  {
    why: 'mounting: the build sees the filesystem it is given, nothing else',
    names: [
      'mount',
      'umount',
      'umount2',
      'pivot_root',
      'move_mount',
      'open_tree',
      'fsopen',
      'fsconfig',
      'fsmount',
      'fspick',
      'mount_setattr',
    ],
  },
  {
    why: 'kernel modules and replacing the kernel',
    names: ['init_module', 'finit_module', 'delete_module', 'kexec_load', 'kexec_file_load'],
  },
  {
    why: 'kernel programs and tracing, large attack surfaces',
    names: ['bpf', 'perf_event_open', 'userfaultfd', 'lookup_dcookie'],
  },
  {
    why: 'the kernel keyring is not namespaced',
    names: ['keyctl', 'add_key', 'request_key'],
  },
  {
    why: 'opening files by handle escapes the root (the "shocker" escape)',
    names: ['open_by_handle_at', 'name_to_handle_at'],
  },
  {
    why: 'host-wide settings: swap, accounting, clock, quotas, I/O ports, the kernel log',
    names: [
      'swapon',
      'swapoff',
      'acct',
      'settimeofday',
      'clock_settime',
      'clock_adjtime',
      'adjtimex',
      'quotactl',
      'iopl',
      'ioperm',
      'syslog',
      'vhangup',
      'nfsservctl',
    ],
  },
  {
    why: 'entering other namespaces',
    names: ['setns'],
  },
];

/**
 * The sandbox's seccomp filter: allow by default, refuse the calls above and new user namespaces
 * (unshare or clone with CLONE_NEWUSER). clone3 answers ENOSYS, as in Docker's profile, because
 * its flags sit in memory a filter cannot read; libc then falls back to clone. ptrace stays allowed
 * (Docker's default on kernels >= 4.8): the PID namespace already hides every process outside.
 * reboot stays allowed: in a PID namespace it ends the namespace, which ends the run.
 */
export function seccompProfile(): OciSeccomp {
  const newUserNamespace = [
    { index: 0, value: CLONE_NEWUSER, valueTwo: CLONE_NEWUSER, op: 'SCMP_CMP_MASKED_EQ' },
  ];
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    // x86_64 only: the clone flag argument is index 0 there (s390x swaps it).
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
    syscalls: [
      ...DENIED.map(({ names }) => ({ names, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM })),
      { names: ['unshare'], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM, args: newUserNamespace },
      { names: ['clone'], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM, args: newUserNamespace },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
    ],
  };
}
