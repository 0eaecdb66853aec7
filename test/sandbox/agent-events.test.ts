import { describe, expect, it } from 'vitest';
import { applyAgentEvent, emptyAgentReport } from '../../src/sandbox/runc/agent-events.js';
import type { AgentReport } from '../../src/sandbox/runc/agent-events.js';

/** The report after the agent wrote `lines`. */
function reportOf(...lines: string[]): AgentReport {
  const report = emptyAgentReport();
  for (const line of lines) applyAgentEvent(report, line);
  return report;
}

describe('agent events', () => {
  it.each<[string, string, Partial<AgentReport>]>([
    [
      'exit status',
      '{"event":"exit","status":3,"signal":null}',
      { exit: { status: 3, signal: null } },
    ],
    [
      'exit signal',
      '{"event":"exit","status":null,"signal":9}',
      { exit: { status: null, signal: 9 } },
    ],
    [
      'leftovers',
      '{"event":"leftover","processes":[{"pid":7,"ppid":1,"command":"sleep 300"},{"pid":"x"}]}',
      { leftoverProcesses: [{ pid: 7, ppid: 1, command: 'sleep 300' }] },
    ],
    [
      'input wait',
      '{"event":"input-wait","pid":3,"command":"sh -c read x","waitedMs":1601}',
      { inputWait: { pid: 3, command: 'sh -c read x', waitedMs: 1601 } },
    ],
    [
      'reboot by command',
      '{"event":"reboot","via":"command","kind":"restart","command":"reboot","parent":"sh x"}',
      { reboot: { via: 'command', kind: 'restart', command: 'reboot', parentCommand: 'sh x' } },
    ],
    [
      'reboot by initctl, writer gone, odd kind',
      '{"event":"reboot","via":"initctl","kind":"sideways","command":null,"parent":null}',
      { reboot: { via: 'initctl', kind: 'unknown', command: null, parentCommand: null } },
    ],
    ['not JSON', 'goldsmith-agent: oops', { unparsed: ['goldsmith-agent: oops'] }],
    ['unknown event', '{"event":"party"}', { unparsed: ['{"event":"party"}'] }],
  ])('parses %s', (_name, line, expected) => {
    expect(reportOf(line)).toMatchObject(expected);
  });

  it('starts empty', () => {
    expect(reportOf()).toEqual({
      leftoverProcesses: [],
      inputWait: null,
      reboot: null,
      unparsed: [],
    });
  });
});
