import type { SandboxCommand, SandboxOutcome, SandboxSession } from '../../src/sandbox/sandbox.js';

export const LIMITS = { memoryBytes: 512 * 1024 * 1024, pids: 256, cpus: 1, wallClockMs: 60_000 };
export const ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
};

/** An outcome with the output lines collected per stream. */
export interface Ran extends SandboxOutcome {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** Runs a shell script in a session and collects its output. */
export async function runScript(
  session: SandboxSession,
  shell: '/bin/sh' | '/bin/bash',
  script: string,
  overrides: Partial<Omit<SandboxCommand, 'onLine'>> = {},
): Promise<Ran> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const outcome = await session.run({
    argv: [shell, '-c', script],
    env: ENV,
    cwd: '/',
    mounts: [],
    limits: LIMITS,
    inputWaitMs: 10_000,
    ...overrides,
    onLine: (stream, text) => (stream === 'stdout' ? stdout : stderr).push(text),
  });
  return { ...outcome, stdout, stderr };
}
