import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import { isOptionVisible } from './publishing-rules.js';
import type {
  FulfillmentOption,
  Product,
  ProductCategory,
  ProductVersion,
} from './publishing-types.js';

/** A software version with the fulfillment options the viewer may see. */
export interface VersionView extends ProductVersion {
  readonly fulfillmentOptions: readonly FulfillmentOption[];
  /**
   * The images the version was built and scanned as, one per OS version: visible with the
   * version right away, even while its fulfillment options are still limited (as the seed says
   * of a new version's image).
   */
  readonly testedOn: readonly { readonly osVersion: string; readonly imageId: string }[];
}

/**
 * A product as one account sees it: listed when one of its fulfillment options is visible to
 * the account; then every version shows, each with only the options the account may use.
 */
export interface ProductView extends Product {
  readonly versions: readonly VersionView[];
}

/** Filters of a catalog search; all given ones must match. */
export interface ProductSearch {
  /** Case-insensitive text in the title, descriptions, highlights, keywords or vendor. */
  readonly text?: string;
  readonly category?: ProductCategory | string;
  readonly deliveryMethod?: FulfillmentOption['deliveryMethod'] | string;
  /** An OS version some visible option was built and scanned on. */
  readonly osVersion?: string;
}

/** The catalog buyers browse, and the seller's view of its own products. */
export class CatalogService {
  constructor(private readonly store: Store) {}

  /** The products visible to `accountId` that match every filter, by title. */
  async search(accountId: string, search: ProductSearch = {}): Promise<ProductView[]> {
    const views = await this.viewsFor(accountId, await this.store.products.listProducts(null));
    const text = search.text?.trim().toLowerCase() ?? '';
    return views.filter((view) => {
      const options = view.versions.flatMap((v) => v.fulfillmentOptions);
      return (
        (text === '' || searchableText(view).includes(text)) &&
        (search.category === undefined ||
          view.categories.some((c) => c.toLowerCase() === search.category?.toLowerCase())) &&
        (search.deliveryMethod === undefined ||
          options.some((o) => o.deliveryMethod === search.deliveryMethod)) &&
        (search.osVersion === undefined ||
          options.some((o) => o.osVersions.includes(search.osVersion ?? '')))
      );
    });
  }

  /** One product as `accountId` sees it; PRODUCT_NOT_FOUND when it sees no option of it. */
  async show(accountId: string, productId: string): Promise<ProductView> {
    const product = await this.store.products.getProduct(productId);
    const [view] = product === undefined ? [] : await this.viewsFor(accountId, [product]);
    if (view === undefined)
      throw new DomainError('PRODUCT_NOT_FOUND', `product ${productId} not found`);
    return view;
  }

  /** The seller's own products with every option, public or limited. */
  async sellerProducts(sellerAccountId: string): Promise<ProductView[]> {
    return this.viewsFor(sellerAccountId, await this.store.products.listProducts(sellerAccountId));
  }

  /** Makes one of the seller's limited options public; a public one stays as it is. */
  async makePublic(sellerAccountId: string, optionId: string): Promise<FulfillmentOption> {
    const option = await this.store.products.getOption(optionId);
    const product =
      option === undefined ? undefined : await this.store.products.getProduct(option.productId);
    if (option === undefined || product?.sellerAccountId !== sellerAccountId) {
      throw new DomainError(
        'FULFILLMENT_OPTION_NOT_FOUND',
        `fulfillment option ${optionId} not found among your products`,
      );
    }
    if (option.visibility === 'public') return option;
    await this.store.products.makeOptionPublic(optionId);
    return { ...option, visibility: 'public', testAccountIds: [] };
  }

  private async viewsFor(accountId: string, products: readonly Product[]): Promise<ProductView[]> {
    const ids = products.map((p) => p.id);
    const [versions, options] = await Promise.all([
      this.store.products.listVersions(ids),
      this.store.products.listOptions(ids),
    ]);
    const views: ProductView[] = [];
    for (const product of products) {
      const isSeller = product.sellerAccountId === accountId;
      const visible = options
        .filter((o) => o.productId === product.id && isOptionVisible(o, product, accountId))
        // Test accounts are the seller's business, not other buyers'.
        .map((o) => (isSeller ? o : { ...o, testAccountIds: [] }));
      if (visible.length === 0) continue;
      const versionViews = versions
        .filter((v) => v.productId === product.id)
        .map((v) => ({
          ...v,
          fulfillmentOptions: visible.filter((o) => o.versionId === v.id),
          testedOn: options
            .filter((o) => o.versionId === v.id)
            .flatMap((o) =>
              o.osVersions.map((osVersion, i) => ({ osVersion, imageId: o.imageIds[i] ?? '' })),
            ),
        }));
      views.push({ ...product, versions: versionViews });
    }
    return views;
  }
}

function searchableText(product: Product): string {
  return [
    product.title,
    product.shortDescription,
    product.longDescription,
    product.vendorName,
    ...product.highlights,
    ...product.searchKeywords,
  ]
    .join('\n')
    .toLowerCase();
}
