import type { ApiClient } from './api-client.js';
import type { FulfillmentOptionFacts, ProductFacts, ProductVersionFacts } from './catalog-types.js';

/** A load form submission's place in review (README: Submission states). */
export type SubmissionState =
  'Submitted' | 'UnderReview' | 'NeedsClarification' | 'Published' | 'Rejected';

/** Every submission state, in the order a review goes through them. */
export const SUBMISSION_STATES: readonly SubmissionState[] = [
  'Submitted',
  'UnderReview',
  'NeedsClarification',
  'Published',
  'Rejected',
];

/** One message of a submission's conversation between its seller and the operators. */
export interface SubmissionMessage {
  readonly at: string;
  readonly accountId: string;
  readonly author: 'seller' | 'operator';
  readonly kind: 'question' | 'answer' | 'corrected-form' | 'note' | 'published' | 'rejected';
  readonly text: string;
}

/** One row of the load form's Product sheet, as the API parsed it. */
export interface LoadFormEntry {
  readonly row: number;
  readonly productTitle: string;
  readonly shortDescription: string;
  readonly longDescription: string;
  readonly highlights: readonly string[];
  readonly categories: readonly string[];
  readonly searchKeywords: readonly string[];
  readonly vendorName: string;
  readonly supportContact: string;
  readonly eulaUrl: string;
  readonly usageInstructions: string;
  readonly softwareVersion: string;
  readonly releaseNotes: string;
  readonly packageGroupName: string;
  readonly fulfillmentAction: string;
  readonly visibility: 'limited' | 'public';
  readonly testAccountIds: readonly string[];
}

/** A submitted load form with its review. */
export interface LoadFormSubmission {
  readonly id: string;
  readonly accountId: string;
  readonly description: string;
  readonly fileName: string;
  readonly workbookDigest: string;
  readonly entries: readonly LoadFormEntry[];
  readonly state: SubmissionState;
  readonly submittedAt: string;
  /** YYYY-MM-DD, five business days after the upload. */
  readonly targetDate: string;
  readonly updatedAt: string;
  readonly conversation: readonly SubmissionMessage[];
}

/** A package group published as one way to install a product version. */
export interface FulfillmentOption extends FulfillmentOptionFacts {
  readonly packageGroupId: string;
  readonly imageIds: readonly string[];
  readonly testAccountIds: readonly string[];
  readonly createdAt: string;
}

/** A software version of a product with its fulfillment options. */
export interface ProductVersion extends ProductVersionFacts {
  readonly productId: string;
  readonly fulfillmentOptions: readonly FulfillmentOption[];
}

/** A product as the API shows it, with its versions. */
export interface Product extends ProductFacts {
  readonly sellerAccountId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly versions: readonly ProductVersion[];
}

/** Where the blank load form downloads from (the session cookie authenticates a plain link). */
export const LOAD_FORM_DOWNLOAD_PATH = '/v1/load-form';

/** The signed-in seller's submissions, newest first. */
export async function listSubmissions(client: ApiClient): Promise<LoadFormSubmission[]> {
  const body = await client.request<{ submissions: LoadFormSubmission[] }>(
    'GET',
    '/v1/load-form-submissions',
  );
  return body.submissions;
}

/** One of the seller's submissions with its conversation. */
export function getSubmission(client: ApiClient, id: string): Promise<LoadFormSubmission> {
  return client.request('GET', `/v1/load-form-submissions/${encodeURIComponent(id)}`);
}

/** Uploads a filled-in load form with its description. */
export function submitLoadForm(
  client: ApiClient,
  file: File,
  description: string,
  onProgress: (sent: number, total: number) => void,
): Promise<LoadFormSubmission> {
  const query = new URLSearchParams({ fileName: file.name, description });
  return client.upload(`/v1/load-form-submissions?${query.toString()}`, file, onProgress);
}

/** Answers the operators' question on a submission. */
export function answerSubmission(
  client: ApiClient,
  id: string,
  message: string,
): Promise<LoadFormSubmission> {
  return client.request('POST', `/v1/load-form-submissions/${encodeURIComponent(id)}/answer`, {
    message,
  });
}

/** Replaces a submission's workbook with a corrected one. */
export function submitCorrectedForm(
  client: ApiClient,
  id: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<LoadFormSubmission> {
  const query = new URLSearchParams({ fileName: file.name });
  return client.upload(
    `/v1/load-form-submissions/${encodeURIComponent(id)}/corrected-form?${query.toString()}`,
    file,
    onProgress,
  );
}

/** The signed-in seller's products with every fulfillment option. */
export async function listSellerProducts(client: ApiClient): Promise<Product[]> {
  const body = await client.request<{ products: Product[] }>('GET', '/v1/seller/products');
  return body.products;
}

/** Makes one of the seller's limited fulfillment options public. */
export function makeOptionPublic(client: ApiClient, optionId: string): Promise<FulfillmentOption> {
  return client.request(
    'POST',
    `/v1/fulfillment-options/${encodeURIComponent(optionId)}/make-public`,
  );
}

/** The review queue (operators): every account's submissions, oldest first, of one state or all. */
export async function listReviewQueue(
  client: ApiClient,
  state: SubmissionState | undefined,
): Promise<LoadFormSubmission[]> {
  const query = state === undefined ? '' : `?state=${state}`;
  const body = await client.request<{ submissions: LoadFormSubmission[] }>(
    'GET',
    `/v1/review/submissions${query}`,
  );
  return body.submissions;
}

/** Any submission, for operators. */
export function getReviewSubmission(client: ApiClient, id: string): Promise<LoadFormSubmission> {
  return client.request('GET', `/v1/review/submissions/${encodeURIComponent(id)}`);
}

/** What an operator may do with a submission. */
export type ReviewAction = 'start' | 'clarify' | 'publish' | 'reject';

/** Takes a review action; `clarify` and `reject` need a message, the others may have one. */
export function reviewSubmission(
  client: ApiClient,
  id: string,
  action: ReviewAction,
  message: string,
): Promise<LoadFormSubmission> {
  return client.request(
    'POST',
    `/v1/review/submissions/${encodeURIComponent(id)}/${action}`,
    message === '' ? {} : { message },
  );
}
