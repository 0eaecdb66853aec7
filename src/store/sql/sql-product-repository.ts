import type { Kysely, Selectable } from 'kysely';

import type {
  FulfillmentOption,
  Product,
  ProductCategory,
  ProductVersion,
  Visibility,
} from '../../domain/publishing/publishing-types.js';
import type { ProductRepository } from '../store.js';
import type {
  Database,
  FulfillmentOptionsTable,
  ProductsTable,
  ProductVersionsTable,
} from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** Products, software versions and fulfillment options on Kysely. */
export class SqlProductRepository implements ProductRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertProduct(product: Product): Promise<void> {
    await this.#db
      .insertInto('products')
      .values({
        id: product.id,
        seller_account_id: product.sellerAccountId,
        created_at: product.createdAt,
        ...productFields(product),
      })
      .execute();
  }

  async updateProduct(product: Product): Promise<void> {
    await this.#db
      .updateTable('products')
      .set(productFields(product))
      .where('id', '=', product.id)
      .execute();
  }

  async getProduct(id: string): Promise<Product | undefined> {
    const row = await this.#db
      .selectFrom('products')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toProduct(row);
  }

  async findProductByTitle(sellerAccountId: string, title: string): Promise<Product | undefined> {
    const row = await this.#db
      .selectFrom('products')
      .selectAll()
      .where('seller_account_id', '=', sellerAccountId)
      .where('title', '=', title)
      .executeTakeFirst();
    return row === undefined ? undefined : toProduct(row);
  }

  async listProducts(sellerAccountId: string | null): Promise<Product[]> {
    const rows = await this.#db
      .selectFrom('products')
      .selectAll()
      .$if(sellerAccountId !== null, (qb) => qb.where('seller_account_id', '=', sellerAccountId))
      .orderBy('title', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toProduct);
  }

  async insertVersion(version: ProductVersion): Promise<void> {
    await this.#db
      .insertInto('product_versions')
      .values({
        id: version.id,
        product_id: version.productId,
        version: version.version,
        release_notes: version.releaseNotes,
        created_at: version.createdAt,
      })
      .execute();
  }

  async listVersions(productIds: readonly string[]): Promise<ProductVersion[]> {
    // `IN ()` is not valid SQL.
    if (productIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('product_versions')
      .selectAll()
      .where('product_id', 'in', productIds)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toVersion);
  }

  async insertOption(option: FulfillmentOption): Promise<void> {
    await this.#db
      .insertInto('fulfillment_options')
      .values({
        id: option.id,
        product_id: option.productId,
        version_id: option.versionId,
        delivery_method: option.deliveryMethod,
        package_group_id: option.packageGroupId,
        package_group_name: option.packageGroupName,
        os_versions: toJson(option.osVersions),
        image_ids: toJson(option.imageIds),
        visibility: option.visibility,
        test_account_ids: toJson(option.testAccountIds),
        created_at: option.createdAt,
      })
      .execute();
  }

  async getOption(id: string): Promise<FulfillmentOption | undefined> {
    const row = await this.#db
      .selectFrom('fulfillment_options')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toOption(row);
  }

  async listOptions(productIds: readonly string[]): Promise<FulfillmentOption[]> {
    if (productIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('fulfillment_options')
      .selectAll()
      .where('product_id', 'in', productIds)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toOption);
  }

  async makeOptionPublic(id: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('fulfillment_options')
      .set({ visibility: 'public', test_account_ids: toJson([]) })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function productFields(product: Product) {
  return {
    title: product.title,
    short_description: product.shortDescription,
    long_description: product.longDescription,
    highlights: toJson(product.highlights),
    categories: toJson(product.categories),
    search_keywords: toJson(product.searchKeywords),
    vendor_name: product.vendorName,
    support_contact: product.supportContact,
    eula_url: product.eulaUrl,
    usage_instructions: product.usageInstructions,
    updated_at: product.updatedAt,
  };
}

function toProduct(row: Selectable<ProductsTable>): Product {
  return {
    id: row.id,
    sellerAccountId: row.seller_account_id,
    title: row.title,
    shortDescription: row.short_description,
    longDescription: row.long_description,
    highlights: fromJson<string[]>(row.highlights, 'products.highlights'),
    categories: fromJson<ProductCategory[]>(row.categories, 'products.categories'),
    searchKeywords: fromJson<string[]>(row.search_keywords, 'products.search_keywords'),
    vendorName: row.vendor_name,
    supportContact: row.support_contact,
    eulaUrl: row.eula_url,
    usageInstructions: row.usage_instructions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVersion(row: Selectable<ProductVersionsTable>): ProductVersion {
  return {
    id: row.id,
    productId: row.product_id,
    version: row.version,
    releaseNotes: row.release_notes,
    createdAt: row.created_at,
  };
}

function toOption(row: Selectable<FulfillmentOptionsTable>): FulfillmentOption {
  return {
    id: row.id,
    productId: row.product_id,
    versionId: row.version_id,
    deliveryMethod: 'private-image-build',
    packageGroupId: row.package_group_id,
    packageGroupName: row.package_group_name,
    osVersions: fromJson<string[]>(row.os_versions, 'fulfillment_options.os_versions'),
    imageIds: fromJson<string[]>(row.image_ids, 'fulfillment_options.image_ids'),
    visibility: row.visibility as Visibility,
    testAccountIds: fromJson<string[]>(
      row.test_account_ids,
      'fulfillment_options.test_account_ids',
    ),
    createdAt: row.created_at,
  };
}
