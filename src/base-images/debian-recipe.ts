import { createHash } from 'node:crypto';
import type { OsVersion } from '../domain/catalog/os-catalog.js';
import type { DebianMirrors } from './apt-sources.js';

/**
 * Bumped whenever the way a root is made changes in a way the other recipe fields do not show,
 * so every cache entry made the old way is rebuilt.
 */
export const DEBIAN_RECIPE_VERSION = 2;

/** One package of the base image and why a server image carries it. */
export interface BasePackage {
  readonly name: string;
  readonly reason: string;
}

/**
 * What `--variant=minbase` leaves out but a realistic Debian server instance has. Their hard
 * dependencies come along; Recommends do not (mmdebstrap's default). About 210 MiB installed.
 */
export const DEBIAN_BASE_PACKAGES: readonly BasePackage[] = [
  { name: 'systemd-sysv', reason: 'systemd as init, so installers can ship and enable units' },
  { name: 'dbus', reason: 'systemctl, hostnamectl and logind talk over it' },
  { name: 'openssh-server', reason: 'how buyers reach an instance' },
  { name: 'openssh-sftp-server', reason: 'scp and sftp to the instance' },
  { name: 'sudo', reason: 'administration by a non-root login user' },
  { name: 'ca-certificates', reason: 'TLS trust roots for installed software' },
  { name: 'curl', reason: 'the HTTP client installers most often expect' },
  { name: 'gnupg', reason: 'verifying signatures and adding apt keys' },
  { name: 'apt-utils', reason: 'lets debconf pre-configure packages during apt-get install' },
  { name: 'iproute2', reason: 'ip and ss, to configure and inspect the network' },
  { name: 'iputils-ping', reason: 'ping, for the reachability checks' },
  { name: 'ifupdown', reason: 'classic /etc/network/interfaces configuration' },
  { name: 'netbase', reason: '/etc/services and /etc/protocols' },
  { name: 'procps', reason: 'ps, top, free, sysctl' },
  { name: 'cron', reason: 'scheduled jobs that installers add' },
  { name: 'logrotate', reason: 'log rotation that installers configure' },
  { name: 'tzdata', reason: 'time zones' },
  { name: 'less', reason: 'a pager' },
  { name: 'vim-tiny', reason: 'an editor' },
  { name: 'xz-utils', reason: 'unpacking .tar.xz archives that installers carry' },
];

/**
 * Suites whose essential set pulls usrmerge (and perl) unless merged-/usr is set up first
 * (mmdebstrap(1), MERGED-/USR). Measured: bullseye has no usr-is-merged package, so the hook
 * fails there (bullseye roots stay split-/usr); trixie's base-files ships the merged layout itself.
 */
const MERGED_USR_HOOK_SUITES = new Set(['bookworm']);
const MERGED_USR_HOOK_DIR = '/usr/share/mmdebstrap/hooks/merged-usr';

/**
 * 2025-01-01T00:00:00Z. A fixed SOURCE_DATE_EPOCH makes the root depend only on the recipe and the
 * mirror's content (mmdebstrap(1), SOURCE_DATE_EPOCH); file times come from the packages anyway.
 */
const SOURCE_DATE_EPOCH = 1735689600;

/** A systemd unit that makes an instance's own SSH host keys at its first boot. */
const SSH_HOST_KEYS_UNIT = [
  '[Unit]',
  'Description=Generate the SSH host keys of this instance',
  'Before=ssh.service',
  'ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key',
  '',
  '[Service]',
  'Type=oneshot',
  'ExecStart=/usr/bin/ssh-keygen -A',
  '',
  '[Install]',
  'WantedBy=multi-user.target',
].join('\\n');

/**
 * Shell run on the finished root (mmdebstrap --customize-hook, `$1` is the root):
 * - the bootstrap copies the build host's hostname and resolver; an image must carry neither;
 * - openssh-server generates host keys at install: every instance would share them, so they go,
 *   and a unit makes each instance's own at first boot;
 * - sshd takes keys only, as the marketplace's image policy asks (ChallengeResponseAuthentication
 *   is the spelling bullseye's OpenSSH 8.4 knows; later versions take it as an alias).
 */
const BASE_CUSTOMIZE_HOOKS: readonly string[] = [
  'echo localhost > "$1/etc/hostname"',
  ': > "$1/etc/resolv.conf"',
  'rm -f "$1"/etc/ssh/ssh_host_*',
  `printf '${SSH_HOST_KEYS_UNIT}\\n' > "$1/etc/systemd/system/ssh-host-keys.service"`,
  'mkdir -p "$1/etc/systemd/system/multi-user.target.wants"',
  'ln -sf /etc/systemd/system/ssh-host-keys.service "$1/etc/systemd/system/multi-user.target.wants/ssh-host-keys.service"',
  'mkdir -p "$1/etc/ssh/sshd_config.d"',
  `printf 'PasswordAuthentication no\\nChallengeResponseAuthentication no\\nPermitRootLogin prohibit-password\\n' > "$1/etc/ssh/sshd_config.d/10-key-login-only.conf"`,
];

/** One apt source of the bootstrap: a sources.list line. */
export interface RecipeSource {
  readonly uri: string;
  readonly suite: string;
  readonly components: readonly string[];
}

/** Everything that decides the content of a Debian base root; its hash names the cache entry. */
export interface DebianRecipe {
  readonly recipeVersion: number;
  readonly osVersion: string;
  readonly suite: string;
  readonly variant: 'minbase';
  readonly components: readonly string[];
  readonly packages: readonly string[];
  readonly sources: readonly RecipeSource[];
  readonly hookDirs: readonly string[];
  readonly customizeHooks: readonly string[];
  readonly sourceDateEpoch: number;
}

/** The recipe of the base root of a Debian OS version bootstrapped from `mirrors`. */
export function debianRecipe(os: OsVersion, mirrors: DebianMirrors): DebianRecipe {
  if (os.family !== 'debian' || os.baseSource.kind !== 'mmdebstrap') {
    throw new Error(`${os.id} is not a Debian version that mmdebstrap can bootstrap`);
  }
  const suite = os.baseSource.suite;
  const components = ['main'];
  const archive = canonicalMirror(mirrors.archive);
  const sources: RecipeSource[] = [
    { uri: archive, suite, components },
    { uri: archive, suite: `${suite}-updates`, components },
  ];
  // The security suite carries fixes published after the point release; a fresh base has them all.
  if (mirrors.security !== undefined) {
    sources.push({
      uri: canonicalMirror(mirrors.security),
      suite: `${suite}-security`,
      components,
    });
  }
  return {
    recipeVersion: DEBIAN_RECIPE_VERSION,
    osVersion: os.id,
    suite,
    variant: 'minbase',
    components,
    packages: DEBIAN_BASE_PACKAGES.map((pkg) => pkg.name).sort(),
    sources,
    hookDirs: MERGED_USR_HOOK_SUITES.has(suite) ? [MERGED_USR_HOOK_DIR] : [],
    customizeHooks: BASE_CUSTOMIZE_HOOKS,
    sourceDateEpoch: SOURCE_DATE_EPOCH,
  };
}

function canonicalMirror(uri: string): string {
  const trimmed = uri.trim().replace(/\/+$/, '');
  // apt would take a space as the end of the URI and the rest as the suite.
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(trimmed)) {
    throw new Error(`Not a usable apt mirror URI: ${JSON.stringify(uri)}`);
  }
  return trimmed;
}

/** sha256 (hex) of the canonical JSON of a recipe: any change of it names a new cache entry. */
export function recipeKey(recipe: DebianRecipe): string {
  return createHash('sha256').update(canonicalJson(recipe)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal recipes hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The mmdebstrap command line that makes the recipe's root in `targetDir`. */
export function mmdebstrapArgs(recipe: DebianRecipe, targetDir: string): string[] {
  return [
    '--mode=root',
    '--format=directory',
    `--variant=${recipe.variant}`,
    `--components=${recipe.components.join(',')}`,
    `--include=${recipe.packages.join(',')}`,
    ...recipe.hookDirs.map((dir) => `--hook-dir=${dir}`),
    ...recipe.customizeHooks.map((hook) => `--customize-hook=${hook}`),
    // The default cleanup removes apt lists and caches: apt-get in the sandbox finds no archive.
    recipe.suite,
    targetDir,
    ...recipe.sources.map(
      (source) => `deb ${source.uri} ${source.suite} ${source.components.join(' ')}`,
    ),
  ];
}

/** Variables to add to the host's environment (which may carry an apt proxy) for mmdebstrap. */
export function mmdebstrapEnv(recipe: DebianRecipe): Record<string, string> {
  return {
    SOURCE_DATE_EPOCH: String(recipe.sourceDateEpoch),
    // Untranslated messages: they end up in errors that operators search for.
    LC_ALL: 'C.UTF-8',
  };
}

/** The recipe as the plain record stored with base images and cache entries. */
export function recipeRecord(recipe: DebianRecipe): Record<string, unknown> {
  return JSON.parse(JSON.stringify(recipe)) as Record<string, unknown>;
}
