import { describe, expect, it } from 'vitest';
import { isAllowListEntryActive, parseAllowList } from '../../../src/scanner/gate/allow-list.js';
import { GateConfigError } from '../../../src/scanner/gate/gate-config-error.js';

const valid = { id: 'CVE-2024-0727', expires: '2030-06-30', reason: 'PKCS12 is never parsed' };

describe('parseAllowList', () => {
  it('reads entries by id, package name, purl and policy path', () => {
    expect(
      parseAllowList(
        [
          valid,
          { ...valid, id: ' DSA-5532-1 ', package: 'openssl', reason: ' upstream says no ' },
          { ...valid, package: 'pkg:deb/debian/libssl3?arch=amd64' },
          {
            id: 'POLICY_SSH_PASSWORD_AUTH',
            path: '/etc/ssh/sshd_config.d/10-cloud.conf',
            expires: '2030-01-01',
            reason: 'bastion image, password login by contract',
          },
        ],
        'gate.json',
      ),
    ).toEqual([
      valid,
      { id: 'DSA-5532-1', package: 'openssl', expires: '2030-06-30', reason: 'upstream says no' },
      { ...valid, package: 'pkg:deb/debian/libssl3?arch=amd64' },
      {
        id: 'POLICY_SSH_PASSWORD_AUTH',
        path: 'etc/ssh/sshd_config.d/10-cloud.conf',
        expires: '2030-01-01',
        reason: 'bastion image, password login by contract',
      },
    ]);
  });

  it.each<{ name: string; json: unknown; message: string }>([
    {
      name: 'not an array',
      json: { id: 'CVE-1' },
      message: 'gate.json: allowList: expected an array, got an object',
    },
    {
      name: 'an entry not an object',
      json: ['CVE-2024-0727'],
      message: 'gate.json: allowList[0]: expected an object, got string "CVE-2024-0727"',
    },
    {
      name: 'missing id',
      json: [{ expires: '2030-01-01', reason: 'r' }],
      message: 'gate.json: allowList[0].id: expected a string, got undefined',
    },
    {
      name: 'id of the wrong type',
      json: [{ ...valid, id: 2024 }],
      message: 'gate.json: allowList[0].id: expected a string, got number 2024',
    },
    {
      name: 'missing reason',
      json: [valid, { id: 'CVE-1', expires: '2030-01-01' }],
      message: 'gate.json: allowList[1].reason: expected a string, got undefined',
    },
    {
      name: 'blank reason',
      json: [{ ...valid, reason: '  ' }],
      message: 'gate.json: allowList[0].reason: must not be empty',
    },
    {
      name: 'missing expiry',
      json: [{ id: 'CVE-1', reason: 'r' }],
      message: 'gate.json: allowList[0].expires: expected a string, got undefined',
    },
    {
      name: 'expiry not a date',
      json: [{ ...valid, expires: 'next year' }],
      message:
        'gate.json: allowList[0].expires: expected a calendar date YYYY-MM-DD (UTC), got "next year"',
    },
    {
      name: 'expiry with a time',
      json: [{ ...valid, expires: '2030-01-01T00:00:00Z' }],
      message: 'allowList[0].expires: expected a calendar date',
    },
    {
      name: 'expiry on a day that does not exist',
      json: [{ ...valid, expires: '2025-02-29' }],
      message: 'allowList[0].expires: expected a calendar date YYYY-MM-DD (UTC), got "2025-02-29"',
    },
    {
      name: 'expiry month 13',
      json: [{ ...valid, expires: '2025-13-01' }],
      message: 'got "2025-13-01"',
    },
    {
      name: 'unknown field',
      json: [{ ...valid, until: '2030-01-01' }],
      message:
        'gate.json: allowList[0].until: unknown field (known fields: id, package, path, expires, reason)',
    },
    {
      name: 'package of the wrong type',
      json: [{ ...valid, package: ['openssl'] }],
      message: 'gate.json: allowList[0].package: expected a string, got an array',
    },
    {
      name: 'invalid purl',
      json: [{ ...valid, package: 'pkg:deb' }],
      message: 'gate.json: allowList[0].package: invalid purl pkg:deb',
    },
    {
      name: 'purl with a version',
      json: [{ ...valid, package: 'pkg:deb/debian/libssl3@3.0.11-1' }],
      message:
        'gate.json: allowList[0].package: purl must not name a version: pkg:deb/debian/libssl3@3.0.11-1',
    },
    {
      name: 'path on a vulnerability',
      json: [{ ...valid, path: 'usr/lib/libssl.so.3' }],
      message:
        'gate.json: allowList[0].path: CVE-2024-0727 is not a policy code: restrict it with package',
    },
    {
      name: 'package on a policy code',
      json: [{ ...valid, id: 'POLICY_PRIVATE_KEY', package: 'openssh-server' }],
      message:
        'gate.json: allowList[0].package: POLICY_PRIVATE_KEY is a policy code: restrict it with path',
    },
  ])('refuses $name', ({ json, message }) => {
    expect(() => parseAllowList(json, 'gate.json')).toThrow(GateConfigError);
    expect(() => parseAllowList(json, 'gate.json')).toThrow(message);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseAllowList([{ ...valid, expires: '2028-02-29' }], 'x')[0]?.expires).toBe(
      '2028-02-29',
    );
  });

  it('names the origin, entry and field on the error', () => {
    try {
      parseAllowList([valid, { ...valid, reason: 7 }], '/etc/goldsmith/gate.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        name: 'GateConfigError',
        origin: '/etc/goldsmith/gate.json',
        field: 'allowList[1].reason',
      });
    }
  });
});

describe('isAllowListEntryActive', () => {
  const entry = { id: 'CVE-2024-0727', expires: '2024-03-31', reason: 'r' };
  it.each([
    { now: '2024-03-30T12:00:00Z', active: true },
    { now: '2024-03-31T00:00:00Z', active: true },
    { now: '2024-03-31T23:59:59.999Z', active: true },
    { now: '2024-04-01T00:00:00Z', active: false },
    // The day is a UTC day: 23:30 on the last day in New York is already the day after in UTC.
    { now: '2024-03-31T23:30:00-04:00', active: false },
  ])('at $now: $active', ({ now, active }) => {
    expect(isAllowListEntryActive(entry, new Date(now))).toBe(active);
  });
});
