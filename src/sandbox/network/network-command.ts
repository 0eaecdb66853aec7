import { spawn } from 'node:child_process';

/** What a network command printed and how it ended. */
export interface NetworkCommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a short command (ip, iptables-restore, ping, ...) with optional stdin, to completion. */
export async function runNetworkCommand(
  command: string,
  args: readonly string[],
  input?: string,
): Promise<NetworkCommandResult> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => undefined); // a command that does not read its input
  child.stdin.end(input ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { code, stdout, stderr };
}

/** Like runNetworkCommand, but a non-zero exit is an error naming the command and its stderr. */
export async function mustRunNetworkCommand(
  command: string,
  args: readonly string[],
  input?: string,
): Promise<string> {
  const result = await runNetworkCommand(command, args, input);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.code ?? 'signal'}): ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

/** Arguments that run `argv` inside the network namespace at `namespacePath`. */
export function inNamespace(namespacePath: string, argv: readonly string[]): string[] {
  return [`--net=${namespacePath}`, '--', ...argv];
}
