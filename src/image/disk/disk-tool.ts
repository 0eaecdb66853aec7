import { spawn } from 'node:child_process';

/** A disk tool (sfdisk, mkfs.ext4, e2fsck, debugfs, qemu-img) that failed; `stderr` says why. */
export class DiskToolError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} failed (${exitCode ?? 'signal'}): ${stderr.trim()}`);
    this.name = 'DiskToolError';
  }
}

/** How runDiskTool runs a command. */
export interface DiskToolOptions {
  /** Written to the command's stdin, which is otherwise closed. */
  readonly input?: string;
  /** Added to the environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs a disk tool to completion and returns its stdout; a non-zero exit is a DiskToolError. */
export async function runDiskTool(
  command: string,
  args: readonly string[],
  options: DiskToolOptions = {},
): Promise<{ readonly stdout: string; readonly stderr: string }> {
  const child = spawn(command, args, {
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (options.input !== undefined) {
    // A tool that exits without reading its input (EPIPE) is judged by its exit code.
    child.stdin?.on('error', () => undefined).end(options.input);
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} not found: install e2fsprogs, fdisk and qemu-utils`)
          : error,
      );
    });
    child.once('close', resolve);
  });
  if (code !== 0) throw new DiskToolError(`${command} ${args.join(' ')}`, code, stderr);
  return { stdout, stderr };
}

/**
 * e2fsprogs' unix I/O manager opens `file?offset=N` as the filesystem starting N bytes into
 * the file, so a partition is read and checked in place: no loop device, no mount, no copy.
 */
export function atOffset(file: string, offset: number): string {
  if (file.includes('?')) throw new Error(`disk file name must not contain "?": ${file}`);
  return `${file}?offset=${offset}`;
}
