import { spawn } from 'node:child_process';

/** What a short host command printed. */
export interface HostToolResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** A host command that exited non-zero; `stderr` says why. */
export class HostToolError extends Error {
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(command: string, args: readonly string[], exitCode: number | null, stderr: string) {
    super(`${command} ${args.join(' ')} failed (${exitCode ?? 'signal'}): ${stderr.trim()}`);
    this.name = 'HostToolError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** Runs a short host command (mount, umount, runc kill, ...) to completion, without stdin. */
export async function runHostTool(
  command: string,
  args: readonly string[],
): Promise<HostToolResult> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new HostToolError(command, args, code, stderr);
  return { stdout, stderr };
}
