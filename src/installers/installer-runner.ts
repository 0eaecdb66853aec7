import type { OsVersion } from '../domain/catalog/os-catalog.js';
import type { Finding, Platform } from '../domain/types.js';

export interface InstallerContext {
  /** Path of the installer inside the sandbox. */
  readonly installerPath: string;
  /** Paths of every package of the group inside the sandbox, installer included. */
  readonly packagePaths: readonly string[];
  readonly os: OsVersion;
}

/** The command that runs an installer inside the sandbox. */
export interface InstallerPlan {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** Runs one installer type. One file per type, listed in the registry. */
export interface InstallerRunner {
  /** File extension with its dot, lower case: `.sh`. */
  readonly extension: string;
  readonly platform: Platform;
  /** Why this installer type cannot run on `os`, or undefined when it can. */
  incompatibility(os: OsVersion): string | undefined;
  /** Looks at the installer file on the host before the run; a finding when it cannot be one. */
  inspect(hostPath: string): Promise<Finding | undefined>;
  plan(context: InstallerContext): InstallerPlan;
}
