/**
 * Publishing: the product load form a seller submits, its review by operators, and the
 * products, versions and fulfillment options it creates, which buyers find in the catalog.
 */

/** Who may see a fulfillment option: the seller and its test accounts, or everyone. */
export const VISIBILITIES = ['limited', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** What a load form row does with its package group (the seed's two options). */
export const FULFILLMENT_ACTIONS = ['add to an existing version', 'new version'] as const;
export type FulfillmentAction = (typeof FULFILLMENT_ACTIONS)[number];

/** The categories a product may be listed under (at most three). */
export const PRODUCT_CATEGORIES = [
  'Application Development',
  'Application Servers',
  'Business Intelligence',
  'Databases',
  'DevOps',
  'High Performance Computing',
  'Machine Learning',
  'Migration',
  'Monitoring',
  'Network Infrastructure',
  'Operating Systems',
  'Security',
  'Storage',
] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

/** What a buyer reads about a product, as the load form gives it and the catalog shows it. */
export interface ProductDetails {
  readonly shortDescription: string;
  readonly longDescription: string;
  /** One to three. */
  readonly highlights: readonly string[];
  /** One to three of PRODUCT_CATEGORIES. */
  readonly categories: readonly ProductCategory[];
  readonly searchKeywords: readonly string[];
  readonly vendorName: string;
  /** An e-mail address or an https URL. */
  readonly supportContact: string;
  readonly eulaUrl: string;
  readonly usageInstructions: string;
}

/**
 * One row of the load form's product tab: one product version and one fulfillment option
 * (a package group). Rows of the same product repeat its details; they must agree.
 */
export interface LoadFormEntry extends ProductDetails {
  /** The worksheet row it came from (1-based), for messages. */
  readonly row: number;
  readonly productTitle: string;
  readonly softwareVersion: string;
  readonly releaseNotes: string;
  readonly packageGroupName: string;
  readonly fulfillmentAction: FulfillmentAction;
  readonly visibility: Visibility;
  /** 12-digit account ids that may see a limited option besides the seller. */
  readonly testAccountIds: readonly string[];
}

/** One problem of a submitted workbook, located as precisely as it can be. */
export interface LoadFormProblem {
  readonly sheet: string | null;
  /** 1-based worksheet row. */
  readonly row: number | null;
  /** The column's header, e.g. `Software version`. */
  readonly column: string | null;
  readonly message: string;
}

export const SUBMISSION_STATES = [
  'Submitted',
  'UnderReview',
  'NeedsClarification',
  'Published',
  'Rejected',
] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/** One message of a submission's conversation, kept whole. */
export interface SubmissionMessage {
  readonly at: string;
  readonly accountId: string;
  readonly author: 'seller' | 'operator';
  /**
   * `question` (operator asks; state NeedsClarification), `answer` (seller replies),
   * `corrected-form` (seller uploads a new workbook), `note`, or the operator's decision.
   */
  readonly kind: 'question' | 'answer' | 'corrected-form' | 'note' | 'published' | 'rejected';
  readonly text: string;
}

/** A load form as submitted, with its review. */
export interface LoadFormSubmission {
  readonly id: string;
  readonly accountId: string;
  readonly description: string;
  readonly fileName: string;
  /** The workbook as uploaded (the last corrected one), in the blob store. */
  readonly workbookDigest: string;
  readonly entries: readonly LoadFormEntry[];
  readonly state: SubmissionState;
  readonly submittedAt: string;
  /** Five business days after the upload (YYYY-MM-DD). */
  readonly targetDate: string;
  readonly updatedAt: string;
  readonly conversation: readonly SubmissionMessage[];
}

/** A product in the catalog, owned by its seller. */
export interface Product extends ProductDetails {
  readonly id: string;
  readonly sellerAccountId: string;
  readonly title: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A software version of a product. */
export interface ProductVersion {
  readonly id: string;
  readonly productId: string;
  readonly version: string;
  readonly releaseNotes: string;
  readonly createdAt: string;
}

/** A package group published as a way to install one version of a product. */
export interface FulfillmentOption {
  readonly id: string;
  readonly productId: string;
  readonly versionId: string;
  readonly deliveryMethod: 'private-image-build';
  readonly packageGroupId: string;
  readonly packageGroupName: string;
  /** The OS versions the group was built and scanned on. */
  readonly osVersions: readonly string[];
  /** The test images of those builds, in osVersions order. */
  readonly imageIds: readonly string[];
  readonly visibility: Visibility;
  readonly testAccountIds: readonly string[];
  readonly createdAt: string;
}

/** A buyer's acceptance of a product's terms: what later allows a private image build. */
export interface Subscription {
  readonly id: string;
  readonly buyerAccountId: string;
  readonly productId: string;
  /** The EULA accepted, as it was when the buyer subscribed. */
  readonly eulaUrl: string;
  readonly createdAt: string;
}
