import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGatePolicy, loadVexFiles } from '../../../src/scanner/gate/gate-config.js';
import { GateConfigError } from '../../../src/scanner/gate/gate-config-error.js';
import { DEFAULT_GATE_POLICY } from '../../../src/scanner/gate/gate-policy.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const tempDir = mkdtempSync(path.join(tmpdir(), 'goldsmith-gate-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

let fileCount = 0;
/** Writes `content` (JSON unless a string) to a new file in a temporary folder. */
function writeConfig(content: unknown): string {
  const file = path.join(tempDir, `gate-${++fileCount}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('loadGatePolicy', () => {
  it('uses the defaults without a file', async () => {
    expect(await loadGatePolicy(undefined)).toBe(DEFAULT_GATE_POLICY);
  });

  it('uses the defaults for every field an empty file leaves out', async () => {
    expect(await loadGatePolicy(writeConfig({}))).toEqual(DEFAULT_GATE_POLICY);
  });

  it('reads every field, with VEX paths relative to the file', async () => {
    const policy = await loadGatePolicy(path.join(fixtures, 'gate-config.json'));
    expect(policy).toMatchObject({
      blockSeverities: ['critical', 'high', 'medium'],
      requireFix: false,
      policyViolations: 'report',
      allowList: [
        { id: 'CVE-2024-0727', package: 'openssl', expires: '2030-06-30' },
        { id: 'POLICY_AUTHORIZED_KEYS', path: 'home/deploy/.ssh/authorized_keys' },
      ],
    });
    expect(policy.vex.map((s) => [s.vulnerability, s.status])).toEqual([
      ['CVE-2023-5363', 'not_affected'],
      ['CVE-2024-0727', 'affected'],
      ['CVE-2023-6129', 'not_affected'],
    ]);
    expect(policy.vex[0]?.origin).toBe(path.join(fixtures, 'openvex-libssl3.json'));
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('reads VEX paths given absolute and drops duplicate severities', async () => {
    const vex = path.join(fixtures, 'cyclonedx-vex.json');
    const policy = await loadGatePolicy(
      writeConfig({ blockSeverities: ['critical', 'critical'], vex: [vex] }),
    );
    expect(policy.blockSeverities).toEqual(['critical']);
    expect(policy.vex).toHaveLength(4);
  });

  it.each<{ name: string; content: unknown; message: string }>([
    { name: 'not JSON', content: '{ "requireFix": true, }', message: ': not valid JSON: ' },
    { name: 'not an object', content: [], message: ': expected an object, got an array' },
    {
      name: 'an unknown field',
      content: { blockSeverity: ['critical'] },
      message:
        ': blockSeverity: unknown field (known fields: blockSeverities, requireFix, policyViolations, allowList, vex)',
    },
    {
      name: 'severities not an array',
      content: { blockSeverities: 'critical' },
      message: ': blockSeverities: expected an array, got string "critical"',
    },
    {
      name: 'an unknown severity',
      content: { blockSeverities: ['critical', 'severe'] },
      message:
        ': blockSeverities[1]: expected one of critical, high, medium, low, negligible, unknown, got string "severe"',
    },
    {
      name: 'requireFix not a boolean',
      content: { requireFix: 'yes' },
      message: ': requireFix: expected true or false, got string "yes"',
    },
    {
      name: 'an unknown policyViolations mode',
      content: { policyViolations: 'warn' },
      message: ': policyViolations: expected one of block, report, got string "warn"',
    },
    {
      name: 'a bad allow-list entry',
      content: { allowList: [{ id: 'CVE-2024-0727', expires: '2030-06-31', reason: 'r' }] },
      message:
        ': allowList[0].expires: expected a calendar date YYYY-MM-DD (UTC), got "2030-06-31"',
    },
    {
      name: 'vex not an array',
      content: { vex: 'vex.json' },
      message: ': vex: expected an array, got string "vex.json"',
    },
    {
      name: 'a vex path not a string',
      content: { vex: [{ path: 'vex.json' }] },
      message: ': vex[0]: expected a string, got an object',
    },
    {
      name: 'a missing VEX file',
      content: { vex: ['missing-vex.json'] },
      message: `: vex[0]: ${path.join(tempDir, 'missing-vex.json')}: file not found`,
    },
  ])('refuses $name, naming the file and field', async ({ content, message }) => {
    const file = writeConfig(content);
    const error = await loadGatePolicy(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GateConfigError);
    expect((error as Error).message).toContain(`${file}${message}`);
  });

  it('refuses an invalid VEX document, naming the setting, the VEX file and its field', async () => {
    const vex = writeConfig({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{}] });
    const file = writeConfig({ vex: [path.basename(vex)] });
    await expect(loadGatePolicy(file)).rejects.toThrow(
      `${file}: vex[0]: ${vex}: statements[0].vulnerability: expected an object, got undefined`,
    );
  });

  it('refuses a missing file given explicitly', async () => {
    const file = path.join(tempDir, 'absent.json');
    await expect(loadGatePolicy(file)).rejects.toThrow(
      new GateConfigError(file, undefined, 'file not found'),
    );
  });
});

describe('loadVexFiles', () => {
  it('reads OpenVEX and CycloneDX files in order', async () => {
    const statements = await loadVexFiles([
      path.join(fixtures, 'openvex-libssl3.json'),
      path.join(fixtures, 'cyclonedx-vex.json'),
    ]);
    expect(statements.map((s) => s.vulnerability)).toEqual([
      'CVE-2023-5363',
      'CVE-2024-0727',
      'CVE-2023-6129',
      'CVE-2023-45853',
      'CVE-2021-23337',
      'CVE-2020-14343',
      'GHSA-8q59-q68h-6hv4',
    ]);
  });

  it('refuses a file that is not JSON, naming it', async () => {
    const file = writeConfig('not json');
    await expect(loadVexFiles([file])).rejects.toThrow(`${file}: not valid JSON`);
  });
});
