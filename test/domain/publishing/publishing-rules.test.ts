import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isDomainError } from '../../../src/errors/domain-error.js';
import type {
  LoadFormEntry,
  LoadFormProblem,
} from '../../../src/domain/publishing/publishing-types.js';
import {
  entry,
  openWorld,
  OTHER_SELLER,
  SELLER,
  TESTER,
  workbookOf,
  type PublishingWorld,
} from './publishing-fixtures.js';

/** The problems a submission of `entries` by SELLER is refused with. */
async function problemsOf(
  world: PublishingWorld,
  entries: LoadFormEntry[],
): Promise<LoadFormProblem[]> {
  try {
    await world.submissions.submit(SELLER, workbookOf(entries));
  } catch (error) {
    if (isDomainError(error, 'LOAD_FORM_INVALID')) {
      expect(error.message).toContain('the load form has');
      return (error.details as { problems: LoadFormProblem[] }).problems;
    }
    throw error;
  }
  return [];
}

/** Publishes entries end to end, so later rows can build on an existing product. */
async function publish(world: PublishingWorld, entries: LoadFormEntry[]): Promise<void> {
  const submitted = await world.submissions.submit(SELLER, workbookOf(entries));
  await world.review.start('op', submitted.id);
  await world.review.publish('op', submitted.id);
}

describe('publishing rules of a load form', () => {
  let world: PublishingWorld;
  beforeEach(async () => {
    world = await openWorld();
  });
  afterEach(async () => world.dispose());

  const cases: {
    name: string;
    setup?: (world: PublishingWorld) => Promise<void>;
    entries: LoadFormEntry[];
    column: string;
    message: RegExp;
  }[] = [
    {
      name: 'a package group the seller does not have',
      setup: async (w) => {
        await w.addGroup('acme-db', { accountId: OTHER_SELLER });
      },
      entries: [entry()],
      column: 'Package group name',
      message: /no package group named acme-db/,
    },
    {
      name: 'a group whose builds are not all Successful',
      setup: async (w) => {
        await w.addGroup('acme-db', { state: 'IssuesFound' });
      },
      entries: [entry()],
      column: 'Package group name',
      message: /built and scanned successfully.*debian-12: IssuesFound/,
    },
    {
      name: 'a Successful group that was not scanned',
      setup: async (w) => {
        await w.addGroup('acme-db', { scanned: false });
      },
      entries: [entry()],
      column: 'Package group name',
      message: /debian-12: not scanned/,
    },
    {
      name: 'a new version that already exists',
      setup: async (w) => {
        await w.addGroup('acme-db');
        await w.addGroup('acme-db-2');
        await publish(w, [entry()]);
      },
      entries: [entry({ packageGroupName: 'acme-db-2' })],
      column: 'Software version',
      message: /version 1.0 of Acme Database already exists/,
    },
    {
      name: 'an option added to a product the seller does not have',
      setup: async (w) => {
        await w.addGroup('acme-db');
      },
      entries: [entry({ fulfillmentAction: 'add to an existing version' })],
      column: 'Product title',
      message: /no product titled Acme Database/,
    },
    {
      name: 'an option added to a version that does not exist (versions must match)',
      setup: async (w) => {
        await w.addGroup('acme-db');
        await w.addGroup('acme-db-2');
        await publish(w, [entry()]);
      },
      entries: [
        entry({
          packageGroupName: 'acme-db-2',
          softwareVersion: '1.1',
          fulfillmentAction: 'add to an existing version',
        }),
      ],
      column: 'Software version',
      message: /has no version 1.1; the versions must match \(existing: 1.0\)/,
    },
    {
      name: 'an option for a group the version already has (never replaced)',
      setup: async (w) => {
        await w.addGroup('acme-db');
        await publish(w, [entry()]);
      },
      entries: [entry({ fulfillmentAction: 'add to an existing version' })],
      column: 'Package group name',
      message: /already has a fulfillment option for package group acme-db/,
    },
    {
      name: 'test accounts on a public option',
      setup: async (w) => {
        await w.addGroup('acme-db');
      },
      entries: [entry({ testAccountIds: [TESTER] })],
      column: 'Test account ids',
      message: /limited options only/,
    },
    {
      name: 'a test account that does not exist',
      setup: async (w) => {
        await w.addGroup('acme-db');
      },
      entries: [entry({ visibility: 'limited', testAccountIds: ['999999999999'] })],
      column: 'Test account ids',
      message: /account 999999999999 does not exist/,
    },
    {
      name: 'rows of one product that disagree',
      setup: async (w) => {
        await w.addGroup('acme-db');
        await w.addGroup('acme-db-2');
      },
      entries: [entry(), entry({ row: 3, packageGroupName: 'acme-db-2', vendorName: 'Other' })],
      column: 'Vendor name',
      message: /differs from row 2/,
    },
    {
      name: 'one group listed twice for a version',
      setup: async (w) => {
        await w.addGroup('acme-db');
      },
      entries: [entry(), entry({ row: 3 })],
      column: 'Package group name',
      message: /listed twice/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}, naming sheet, row and column`, async () => {
      await c.setup?.(world);
      const problems = await problemsOf(world, c.entries);
      expect(problems).toContainEqual({
        sheet: 'Product',
        row: expect.any(Number) as number,
        column: c.column,
        message: expect.stringMatching(c.message) as string,
      });
    });
  }

  it('accepts an option added to an existing version of the same product', async () => {
    await world.addGroup('acme-db');
    await world.addGroup('acme-db-2');
    await publish(world, [entry()]);
    expect(
      await problemsOf(world, [
        entry({ packageGroupName: 'acme-db-2', fulfillmentAction: 'add to an existing version' }),
      ]),
    ).toEqual([]);
  });

  it('needs a description of at most 500 characters', async () => {
    await world.addGroup('acme-db');
    for (const description of ['  ', 'x'.repeat(501)]) {
      await expect(
        world.submissions.submit(SELLER, workbookOf([entry()], description)),
      ).rejects.toMatchObject({ code: 'INVALID_SUBMISSION_DESCRIPTION' });
    }
  });

  it('refuses an empty form', async () => {
    expect(await problemsOf(world, [])).toEqual([
      { sheet: 'Product', row: null, column: null, message: 'the form has no product rows' },
    ]);
  });
});

describe('submitting a load form', () => {
  it('stores it Submitted with a target date five business days later, skipping holidays', async () => {
    // Friday 2026-03-06 + 5 business days is Friday 03-13; a holiday on Wednesday pushes it to Monday.
    const world = await openWorld(['2026-03-11']);
    try {
      await world.addGroup('acme-db');
      const submitted = await world.submissions.submit(SELLER, workbookOf([entry()]));
      expect(submitted).toMatchObject({
        state: 'Submitted',
        targetDate: '2026-03-16',
        accountId: SELLER,
        description: 'Acme DB 1.0',
        conversation: [],
      });
      expect(submitted.workbookDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await world.submissions.get(SELLER, submitted.id)).toEqual(submitted);
      await expect(world.submissions.get(OTHER_SELLER, submitted.id)).rejects.toMatchObject({
        code: 'SUBMISSION_NOT_FOUND',
      });
      expect(await world.submissions.list(OTHER_SELLER)).toEqual([]);
    } finally {
      await world.dispose();
    }
  });
});
