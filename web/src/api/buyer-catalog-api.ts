import type { ApiClient } from './api-client.js';
import type { FulfillmentOptionFacts, ProductFacts, ProductVersionFacts } from './catalog-types.js';

/** A fulfillment option of a product version (`/v1/products`). */
export type FulfillmentOption = FulfillmentOptionFacts;

/** One version of a product with the options the caller may use. */
export interface ProductVersion extends ProductVersionFacts {
  readonly fulfillmentOptions: readonly FulfillmentOption[];
}

/** A catalog product as a buyer sees it. */
export interface Product extends ProductFacts {
  readonly longDescription: string;
  readonly highlights: readonly string[];
  readonly supportContact: string;
  readonly eulaUrl: string;
  readonly usageInstructions: string;
  readonly versions: readonly ProductVersion[];
}

/** A buyer's subscription to a product. */
export interface Subscription {
  readonly id: string;
  readonly productId: string;
  readonly createdAt: string;
}

/** What the product search filters by. */
export interface ProductQuery {
  readonly text: string;
  /** `private-image-build`, or empty for any. */
  readonly deliveryMethod: string;
}

/** Products matching the query, by title. */
export async function searchProducts(client: ApiClient, query: ProductQuery): Promise<Product[]> {
  const params = new URLSearchParams();
  if (query.text !== '') params.set('q', query.text);
  if (query.deliveryMethod !== '') params.set('deliveryMethod', query.deliveryMethod);
  const search = params.toString();
  const suffix = search === '' ? '' : `?${search}`;
  const body = await client.request<{ products: Product[] }>('GET', `/v1/products${suffix}`);
  return body.products;
}

/** One product with its versions and the options visible to the caller. */
export function getProduct(client: ApiClient, productId: string): Promise<Product> {
  return client.request<Product>('GET', `/v1/products/${encodeURIComponent(productId)}`);
}

/** The caller's subscriptions, newest first. */
export async function listSubscriptions(client: ApiClient): Promise<Subscription[]> {
  const body = await client.request<{ subscriptions: Subscription[] }>('GET', '/v1/subscriptions');
  return body.subscriptions;
}

/** Subscribes to a product, accepting its EULA. */
export function subscribe(client: ApiClient, productId: string): Promise<Subscription> {
  return client.request<Subscription>(
    'POST',
    `/v1/products/${encodeURIComponent(productId)}/subscriptions`,
    { acceptTerms: true },
  );
}

/** Every fulfillment option of the products the caller subscribes to, with its product. */
export async function subscribedOptions(
  client: ApiClient,
): Promise<{ product: Product; version: ProductVersion; option: FulfillmentOption }[]> {
  const subscriptions = await listSubscriptions(client);
  const products = await Promise.all(subscriptions.map((s) => getProduct(client, s.productId)));
  return products.flatMap((product) =>
    product.versions.flatMap((version) =>
      version.fulfillmentOptions.map((option) => ({ product, version, option })),
    ),
  );
}
