import type { Store } from '../../store/store.js';
import type { OsBuild, PackageGroup } from '../types.js';
import type {
  FulfillmentOption,
  LoadFormEntry,
  LoadFormProblem,
  Product,
} from './publishing-types.js';

/** The load form's product tab, named in problems found after parsing. */
export const PRODUCT_SHEET = 'Product';

/** At most this many characters in a submission's description. */
export const MAX_DESCRIPTION_LENGTH = 500;

/** A package group that can be published, with the builds its option lists. */
export interface PublishableGroup {
  readonly group: PackageGroup;
  /** Successful, scanned builds in the group's OS version order. */
  readonly builds: readonly OsBuild[];
}

/** What the rules found: the problems, and the groups of the rows that passed. */
export interface RulesOutcome {
  readonly problems: LoadFormProblem[];
  /** By package group name. */
  readonly groups: ReadonlyMap<string, PublishableGroup>;
}

/** True when `accountId` may see `option` of `product`: public, the seller, or a test account. */
export function isOptionVisible(
  option: FulfillmentOption,
  product: Product,
  accountId: string,
): boolean {
  return (
    option.visibility === 'public' ||
    product.sellerAccountId === accountId ||
    option.testAccountIds.includes(accountId)
  );
}

const PRODUCT_FIELDS = [
  ['shortDescription', 'Short description'],
  ['longDescription', 'Long description'],
  ['highlights', 'Highlights'],
  ['categories', 'Categories'],
  ['searchKeywords', 'Search keywords'],
  ['vendorName', 'Vendor name'],
  ['supportContact', 'Support contact'],
  ['eulaUrl', 'EULA URL'],
  ['usageInstructions', 'Usage instructions'],
] as const satisfies readonly (readonly [keyof LoadFormEntry, string])[];

/**
 * Checks a seller's load form entries against the store, as the seed's "Submitting your
 * product" section asks: every package group exists and was built and scanned successfully,
 * a new version does not exist yet, an added option joins an existing version of the same
 * product without replacing its fulfillment for that group, and test accounts make sense.
 */
export async function checkEntries(
  store: Store,
  sellerAccountId: string,
  entries: readonly LoadFormEntry[],
): Promise<RulesOutcome> {
  const problems: LoadFormProblem[] = [];
  const problem = (row: number, column: string | null, message: string) =>
    problems.push({ sheet: PRODUCT_SHEET, row, column, message });
  const groups = new Map<string, PublishableGroup>();

  if (entries.length === 0) {
    problems.push({
      sheet: PRODUCT_SHEET,
      row: null,
      column: null,
      message: 'the form has no product rows',
    });
  }

  const firstOfProduct = new Map<string, LoadFormEntry>();
  const seen = new Set<string>();
  for (const entry of entries) {
    const first = firstOfProduct.get(entry.productTitle);
    if (first === undefined) firstOfProduct.set(entry.productTitle, entry);
    else {
      for (const [field, column] of PRODUCT_FIELDS) {
        if (JSON.stringify(entry[field]) !== JSON.stringify(first[field])) {
          problem(entry.row, column, `differs from row ${first.row} of the same product`);
        }
      }
    }
    const key = JSON.stringify([entry.productTitle, entry.softwareVersion, entry.packageGroupName]);
    if (seen.has(key)) {
      problem(
        entry.row,
        'Package group name',
        `package group ${entry.packageGroupName} is listed twice for version ${entry.softwareVersion}`,
      );
    }
    seen.add(key);

    checkAccounts(entry, sellerAccountId, problem);
    for (const accountId of entry.testAccountIds) {
      if (/^\d{12}$/.test(accountId) && (await store.accounts.get(accountId)) === undefined) {
        problem(entry.row, 'Test account ids', `account ${accountId} does not exist`);
      }
    }

    const publishable = await checkGroup(store, sellerAccountId, entry, problem);
    if (publishable !== undefined) groups.set(entry.packageGroupName, publishable);

    const product = await store.products.findProductByTitle(sellerAccountId, entry.productTitle);
    const versions = product === undefined ? [] : await store.products.listVersions([product.id]);
    const version = versions.find((v) => v.version === entry.softwareVersion);
    if (entry.fulfillmentAction === 'new version') {
      if (version !== undefined) {
        problem(
          entry.row,
          'Software version',
          `version ${entry.softwareVersion} of ${entry.productTitle} already exists; choose "add to an existing version" or a new version number`,
        );
      }
    } else if (product === undefined) {
      problem(
        entry.row,
        'Product title',
        `you have no product titled ${entry.productTitle} to add a fulfillment option to`,
      );
    } else if (version === undefined) {
      problem(
        entry.row,
        'Software version',
        `${entry.productTitle} has no version ${entry.softwareVersion}; the versions must match (existing: ${versions.map((v) => v.version).join(', ') || 'none'})`,
      );
    } else if (publishable !== undefined) {
      const options = await store.products.listOptions([product.id]);
      if (
        options.some((o) => o.versionId === version.id && o.packageGroupId === publishable.group.id)
      ) {
        problem(
          entry.row,
          'Package group name',
          `version ${entry.softwareVersion} already has a fulfillment option for package group ${entry.packageGroupName}; an existing version's fulfillment cannot be replaced`,
        );
      }
    }
  }
  return { problems, groups };
}

function checkAccounts(
  entry: LoadFormEntry,
  sellerAccountId: string,
  problem: (row: number, column: string | null, message: string) => void,
): void {
  if (entry.visibility === 'public' && entry.testAccountIds.length > 0) {
    problem(
      entry.row,
      'Test account ids',
      'test accounts apply to limited options only; leave them empty or choose limited',
    );
  }
  for (const accountId of entry.testAccountIds) {
    if (!/^\d{12}$/.test(accountId)) {
      problem(entry.row, 'Test account ids', `${accountId} is not a 12-digit account id`);
    } else if (accountId === sellerAccountId) {
      problem(entry.row, 'Test account ids', 'your own account always sees your options');
    }
  }
}

async function checkGroup(
  store: Store,
  sellerAccountId: string,
  entry: LoadFormEntry,
  problem: (row: number, column: string | null, message: string) => void,
): Promise<PublishableGroup | undefined> {
  const group = await store.packageGroups.getByName(sellerAccountId, entry.packageGroupName);
  if (group === undefined || group.deletedAt !== null) {
    problem(
      entry.row,
      'Package group name',
      `you have no package group named ${entry.packageGroupName}`,
    );
    return undefined;
  }
  const builds = await store.builds.listForGroup(sellerAccountId, group.id);
  const ready = builds.filter(
    (b) => b.state === 'Successful' && b.scanReportDigest !== null && b.imageId !== null,
  );
  if (builds.length === 0 || ready.length !== builds.length) {
    const pending = builds
      .filter((b) => !ready.includes(b))
      .map((b) => `${b.osVersion}: ${b.state === 'Successful' ? 'not scanned' : b.state}`);
    problem(
      entry.row,
      'Package group name',
      `package group ${group.name} must be built and scanned successfully on every OS version first (${pending.join(', ') || 'no builds'})`,
    );
    return undefined;
  }
  const order = (b: OsBuild) => group.osVersions.indexOf(b.osVersion);
  return { group, builds: [...ready].sort((a, b) => order(a) - order(b)) };
}

/** The problem of a description, if any: required, at most 500 characters. */
export function describeDescriptionProblem(description: string): string | undefined {
  const trimmed = description.trim();
  if (trimmed === '') return 'a short description is required';
  if (trimmed.length > MAX_DESCRIPTION_LENGTH)
    return `the description has ${trimmed.length} characters; at most ${MAX_DESCRIPTION_LENGTH} are allowed`;
  return undefined;
}

/** One line per problem, located as `sheet row N, column C: message`. */
export function formatProblems(problems: readonly LoadFormProblem[]): string {
  return problems
    .map((p) => {
      const where = [
        p.sheet,
        p.row === null ? null : `row ${p.row}`,
        p.column === null ? null : `column ${p.column}`,
      ]
        .filter((part) => part !== null)
        .join(' ');
      return where === '' ? p.message : `${where}: ${p.message}`;
    })
    .join('\n');
}
