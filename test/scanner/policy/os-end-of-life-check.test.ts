import { afterAll, describe, expect, it } from 'vitest';
import { osEndOfLifeCheck } from '../../../src/scanner/policy/os-end-of-life-check.js';
import { OS_END_OF_LIFE, findOsLifecycle } from '../../../src/scanner/policy/os-end-of-life.js';
import { PolicyCheckNotRun } from '../../../src/scanner/policy/policy-check.js';
import { fixtureRoot, removeTempRoots } from './fixture-root.js';

afterAll(removeTempRoots);

const at = (date: string) => ({ now: new Date(`${date}T12:00:00Z`) });

describe('osEndOfLifeCheck', () => {
  it('reports Debian 11 after its LTS ended, with the date', async () => {
    const violations = await osEndOfLifeCheck.check(fixtureRoot('os-debian-11'), at('2026-11-27'));
    expect(violations).toMatchObject([
      {
        code: 'POLICY_OS_END_OF_LIFE',
        message: 'Debian 11 (bullseye) reached end of life on 2026-08-31',
        evidence: { date: '2026-08-31' },
      },
    ]);
  });

  it.each([
    ['os-debian-11', '2026-08-31'],
    ['os-debian-12', '2026-11-27'],
  ])('passes %s on %s', async (fixture, date) => {
    expect(await osEndOfLifeCheck.check(fixtureRoot(fixture), at(date))).toEqual([]);
  });

  it('does not pass an OS it has no date for', async () => {
    await expect(
      osEndOfLifeCheck.check(fixtureRoot('os-unknown'), at('2026-11-27')),
    ).rejects.toEqual(
      new PolicyCheckNotRun(
        'no end-of-life date known for Alpine Linux v3.20 (ID=alpine, VERSION_ID=3.20.3)',
      ),
    );
  });
});

describe('findOsLifecycle', () => {
  const release = (id: string, versionId: string | undefined) => ({
    id,
    versionId,
    versionCodename: undefined,
    prettyName: id,
  });

  it.each([
    ['debian', '9', '2022-06-30'],
    ['debian', '10', '2024-06-30'],
    ['debian', '13', '2030-06-30'],
    ['ubuntu', '22.04', '2027-05-31'],
    ['rhel', '9.4', '2032-05-31'],
    ['rocky', '8.10', '2029-05-31'],
    ['almalinux', '8.9', '2029-03-01'],
    ['amzn', '2', '2026-06-30'],
    ['amzn', '2023', '2029-06-30'],
  ])('%s %s ends on %s', (id, versionId, endOfLife) => {
    expect(findOsLifecycle(release(id, versionId))?.endOfLife).toBe(endOfLife);
  });

  it.each([
    ['debian', undefined],
    ['ubuntu', '23.10'],
    ['alpine', '3.20.3'],
  ])('knows nothing of %s %s', (id, versionId) => {
    expect(findOsLifecycle(release(id, versionId))).toBeUndefined();
  });

  it('lists each release once, with regular support ending before the end of life', () => {
    const keys = OS_END_OF_LIFE.map((entry) => `${entry.id} ${entry.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of OS_END_OF_LIFE) {
      expect(entry.endOfLife).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((entry.endOfRegularSupport ?? entry.endOfLife) <= entry.endOfLife).toBe(true);
    }
  });
});
