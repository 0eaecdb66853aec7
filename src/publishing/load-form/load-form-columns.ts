import {
  FULFILLMENT_ACTIONS,
  PRODUCT_CATEGORIES,
  VISIBILITIES,
  type LoadFormEntry,
} from '../../domain/publishing/publishing-types.js';

/** A LoadFormEntry field that a column of the product tab fills (all but `row`). */
export type LoadFormField = Exclude<keyof LoadFormEntry, 'row'>;

/** How a cell's text is read and checked. */
export type ColumnRule =
  | { readonly kind: 'text'; readonly maxLength: number }
  /** Items separated by `;` or new lines; `allowed` restricts them to a fixed set. */
  | {
      readonly kind: 'list';
      readonly minItems: number;
      readonly maxItems: number;
      readonly maxItemLength: number;
      /** What one item is called in messages, e.g. `category`. */
      readonly itemName: string;
      readonly allowed?: readonly string[];
    }
  | { readonly kind: 'enum'; readonly allowed: readonly string[] }
  | { readonly kind: 'url'; readonly maxLength: number }
  | { readonly kind: 'email-or-url'; readonly maxLength: number }
  | { readonly kind: 'account-ids'; readonly maxItems: number };

/** A list kept on the hidden `Lists` sheet that a column's drop-down offers. */
export type LoadFormList =
  'packageGroups' | 'osVersions' | 'categories' | 'fulfillmentActions' | 'visibilities';

/** One column of the product tab: what the writer shows and how the reader checks it. */
export interface LoadFormColumn {
  readonly header: string;
  readonly field: LoadFormField;
  /** Shown on the Instructions tab and as the header cell's note. */
  readonly description: string;
  readonly required: boolean;
  /** Rows of the same product title must repeat the same value. */
  readonly productLevel: boolean;
  readonly rule: ColumnRule;
  /** Width in characters on the product tab. */
  readonly width: number;
  /** The drop-down offered in the column's cells, if any. */
  readonly dropDown?: LoadFormList;
}

/** The maximum number of `Test account ids` on one row. */
export const MAX_TEST_ACCOUNT_IDS = 25;

/** The product tab's columns, in sheet order (the writer and reader both follow it). */
export const LOAD_FORM_COLUMNS: readonly LoadFormColumn[] = [
  {
    header: 'Product title',
    field: 'productTitle',
    description:
      'The product name buyers see. Rows with the same title describe the same product (one row per version and package group).',
    required: true,
    productLevel: false,
    rule: { kind: 'text', maxLength: 72 },
    width: 30,
  },
  {
    header: 'Short description',
    field: 'shortDescription',
    description: 'One or two sentences shown in search results (at most 200 characters).',
    required: true,
    productLevel: true,
    rule: { kind: 'text', maxLength: 200 },
    width: 40,
  },
  {
    header: 'Long description',
    field: 'longDescription',
    description: 'What the product does, shown on its page (at most 2000 characters).',
    required: true,
    productLevel: true,
    rule: { kind: 'text', maxLength: 2000 },
    width: 50,
  },
  {
    header: 'Highlights',
    field: 'highlights',
    description:
      'One to three key features, separated by ";" or new lines (at most 250 characters each).',
    required: true,
    productLevel: true,
    rule: { kind: 'list', minItems: 1, maxItems: 3, maxItemLength: 250, itemName: 'highlight' },
    width: 40,
  },
  {
    header: 'Categories',
    field: 'categories',
    description: `One to three categories separated by ";", from: ${PRODUCT_CATEGORIES.join(', ')}.`,
    required: true,
    productLevel: true,
    rule: {
      kind: 'list',
      minItems: 1,
      maxItems: 3,
      maxItemLength: 50,
      itemName: 'category',
      allowed: PRODUCT_CATEGORIES,
    },
    width: 28,
    dropDown: 'categories',
  },
  {
    header: 'Search keywords',
    field: 'searchKeywords',
    description: 'Optional: up to ten words buyers may search for, separated by ";".',
    required: false,
    productLevel: true,
    rule: { kind: 'list', minItems: 0, maxItems: 10, maxItemLength: 50, itemName: 'keyword' },
    width: 30,
  },
  {
    header: 'Vendor name',
    field: 'vendorName',
    description: 'The seller name shown to buyers (at most 100 characters).',
    required: true,
    productLevel: true,
    rule: { kind: 'text', maxLength: 100 },
    width: 24,
  },
  {
    header: 'Support contact',
    field: 'supportContact',
    description: 'An e-mail address or an https:// URL where buyers get support.',
    required: true,
    productLevel: true,
    rule: { kind: 'email-or-url', maxLength: 2048 },
    width: 30,
  },
  {
    header: 'EULA URL',
    field: 'eulaUrl',
    description: 'An https:// URL of the end user license agreement buyers accept.',
    required: true,
    productLevel: true,
    rule: { kind: 'url', maxLength: 2048 },
    width: 30,
  },
  {
    header: 'Software version',
    field: 'softwareVersion',
    description:
      'The software version this row publishes, e.g. 2.1.0 (at most 50 characters). To add to an existing version, give that version exactly.',
    required: true,
    productLevel: false,
    rule: { kind: 'text', maxLength: 50 },
    width: 18,
  },
  {
    header: 'Release notes',
    field: 'releaseNotes',
    description: 'What changed in this version (at most 2000 characters).',
    required: true,
    productLevel: false,
    rule: { kind: 'text', maxLength: 2000 },
    width: 40,
  },
  {
    header: 'Package group name',
    field: 'packageGroupName',
    description:
      'One of your package groups whose builds all succeeded and were scanned (pick it from the list).',
    required: true,
    productLevel: false,
    rule: { kind: 'text', maxLength: 128 },
    width: 30,
    dropDown: 'packageGroups',
  },
  {
    header: 'Fulfillment action',
    field: 'fulfillmentAction',
    description: `What this row does with the package group: ${FULFILLMENT_ACTIONS.map((a) => `"${a}"`).join(' or ')}.`,
    required: true,
    productLevel: false,
    rule: { kind: 'enum', allowed: FULFILLMENT_ACTIONS },
    width: 26,
    dropDown: 'fulfillmentActions',
  },
  {
    header: 'Visibility',
    field: 'visibility',
    description:
      '"limited": only you and your test accounts see the option, so you can test it; "public": every buyer sees it.',
    required: true,
    productLevel: false,
    rule: { kind: 'enum', allowed: VISIBILITIES },
    width: 14,
    dropDown: 'visibilities',
  },
  {
    header: 'Test account ids',
    field: 'testAccountIds',
    description: `Optional, only with "limited" visibility: up to ${MAX_TEST_ACCOUNT_IDS} 12-digit account ids, separated by ";", that may test the option.`,
    required: false,
    productLevel: false,
    rule: { kind: 'account-ids', maxItems: MAX_TEST_ACCOUNT_IDS },
    width: 30,
  },
  {
    header: 'Usage instructions',
    field: 'usageInstructions',
    description: 'How to start using the software once installed (at most 2000 characters).',
    required: true,
    productLevel: true,
    rule: { kind: 'text', maxLength: 2000 },
    width: 40,
  },
];

/** The name of the product tab, which the reader looks for. */
export const PRODUCT_SHEET = 'Product';
/** The name of the instructions tab. */
export const INSTRUCTIONS_SHEET = 'Instructions';
/** The name of the hidden tab holding the drop-down lists. */
export const LISTS_SHEET = 'Lists';
/** The example row's product title starts with this; the reader skips such rows. */
export const EXAMPLE_MARKER = 'EXAMPLE';
