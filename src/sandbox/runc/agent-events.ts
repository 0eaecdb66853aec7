import type { InputWait, RebootAttempt, SandboxProcess } from '../sandbox.js';

/** What the PID-1 agent (agent/goldsmith-agent.c) reported about one run, on fd 3. */
export interface AgentReport {
  /** How the installer ended, once the agent said so; absent when the agent itself was killed. */
  exit?: { readonly status: number | null; readonly signal: number | null };
  leftoverProcesses: SandboxProcess[];
  inputWait: InputWait | null;
  reboot: RebootAttempt | null;
  /** Lines that were not events the agent writes: a sign of a mismatched agent build. */
  unparsed: string[];
}

/** An empty report, filled by `applyAgentEvent`. */
export function emptyAgentReport(): AgentReport {
  return { leftoverProcesses: [], inputWait: null, reboot: null, unparsed: [] };
}

const REBOOT_KINDS = new Set<RebootAttempt['kind']>(['restart', 'power-off', 'halt', 'unknown']);

/** Parses one JSON line of the agent into `report`; the event name, or null when unparsable. */
export function applyAgentEvent(report: AgentReport, line: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    report.unparsed.push(line);
    return null;
  }
  if (!isRecord(value)) {
    report.unparsed.push(line);
    return null;
  }
  switch (value['event']) {
    case 'exit':
      report.exit = { status: intOrNull(value['status']), signal: intOrNull(value['signal']) };
      return 'exit';
    case 'leftover': {
      const processes = Array.isArray(value['processes']) ? value['processes'] : [];
      for (const entry of processes) {
        if (!isRecord(entry)) continue;
        const pid = intOrNull(entry['pid']);
        const ppid = intOrNull(entry['ppid']);
        if (pid === null || ppid === null) continue;
        report.leftoverProcesses.push({ pid, ppid, command: stringOr(entry['command'], '?') });
      }
      return 'leftover';
    }
    case 'input-wait': {
      report.inputWait = {
        pid: intOrNull(value['pid']) ?? 0,
        command: stringOr(value['command'], '?'),
        waitedMs: intOrNull(value['waitedMs']) ?? 0,
      };
      return 'input-wait';
    }
    case 'reboot': {
      const kind = value['kind'];
      const parent = value['parent'];
      report.reboot = {
        via: value['via'] === 'initctl' ? 'initctl' : 'command',
        kind: REBOOT_KINDS.has(kind as RebootAttempt['kind'])
          ? (kind as RebootAttempt['kind'])
          : 'unknown',
        command: typeof value['command'] === 'string' ? value['command'] : null,
        parentCommand: typeof parent === 'string' ? parent : null,
      };
      return 'reboot';
    }
    default:
      report.unparsed.push(line);
      return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function intOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
