import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { repoRoot } from './paths.js';

const bin = path.join(repoRoot, 'bin', 'goldsmith.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the goldsmith CLI (the built one) to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly operatorToken: string | undefined;
  output(): string;
  /** Ends the process: SIGTERM, or SIGKILL to simulate a crash. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `goldsmith server` as its own process and waits until it listens. */
export function startServerProcess(args: string[]): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'server', '--host', '127.0.0.1', '--port', '0', ...args],
      {
        env: { ...process.env, GOLDSMITH_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let token: string | undefined;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      token ??= /^operator token: (\S+)$/m.exec(output)?.[1];
      const url = /^goldsmith listening on (\S+)/m.exec(output)?.[1];
      if (url !== undefined) {
        child.stdout.off('data', onData);
        child.stdout.on('data', (more: Buffer) => (output += more.toString()));
        resolve({
          child,
          url,
          operatorToken: token,
          output: () => output,
          kill: (signal) =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`server exited with ${code} before listening:\n${output}`)),
    );
  });
}
