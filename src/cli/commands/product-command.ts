import type { Command } from 'commander';

import type { ProductView } from '../../domain/publishing/catalog-service.js';
import type { FulfillmentOption, Subscription } from '../../domain/publishing/publishing-types.js';
import { ApiClient } from '../api-client.js';
import { note, printJson, printTable } from '../output.js';

function printProduct(product: ProductView): void {
  process.stdout.write(
    [
      `${product.title} (${product.id}) by ${product.vendorName}`,
      `  ${product.shortDescription}`,
      `  categories: ${product.categories.join(', ')}`,
      `  support:    ${product.supportContact}`,
      `  EULA:       ${product.eulaUrl}`,
      ...product.versions.flatMap((v) => [
        `  version ${v.version}`,
        ...v.fulfillmentOptions.map(
          (o) =>
            `    option ${o.id}: ${o.packageGroupName} on ${o.osVersions.join(', ')} (${o.visibility})`,
        ),
      ]),
    ].join('\n') + '\n',
  );
}

/** `goldsmith product list|show|subscribe|make-public`. */
export function productCommand(program: Command): void {
  const product = program.command('product').description('the product catalog');

  product
    .command('list')
    .description('products you can see, by title')
    .option('--search <text>', 'text in title, descriptions, keywords or vendor')
    .option('--category <category>', 'a product category, e.g. Databases')
    .option('--os <osVersion>', 'an OS version an option runs on, e.g. debian-12')
    .option('--json', 'JSON output')
    .action(async (opts: { search?: string; category?: string; os?: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const query = new URLSearchParams();
      if (opts.search !== undefined) query.set('q', opts.search);
      if (opts.category !== undefined) query.set('category', opts.category);
      if (opts.os !== undefined) query.set('os', opts.os);
      const { products } = await client.request<{ products: ProductView[] }>(
        'GET',
        `/v1/products?${query.toString()}`,
      );
      if (opts.json) return printJson(products);
      printTable(
        ['PRODUCT', 'TITLE', 'VENDOR', 'VERSIONS', 'CATEGORIES'],
        products.map((p) => [
          p.id,
          p.title,
          p.vendorName,
          p.versions.map((v) => v.version).join(', '),
          p.categories.join(', '),
        ]),
      );
    });

  product
    .command('show')
    .description('one product with its versions and fulfillment options')
    .argument('<id>')
    .option('--json', 'JSON output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const shown = await client.request<ProductView>(
        'GET',
        `/v1/products/${encodeURIComponent(id)}`,
      );
      return opts.json ? printJson(shown) : printProduct(shown);
    });

  product
    .command('subscribe')
    .description('subscribe to a product, accepting its EULA')
    .argument('<id>')
    .option('--accept-terms', 'you accept the product’s EULA (required)')
    .option('--json', 'JSON output')
    .action(async (id: string, opts: { acceptTerms?: boolean; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const subscription = await client.request<Subscription>(
        'POST',
        `/v1/products/${encodeURIComponent(id)}/subscriptions`,
        { acceptTerms: opts.acceptTerms === true },
      );
      if (opts.json) printJson(subscription);
      else note(`subscribed to ${subscription.productId} (${subscription.id})`);
    });

  product
    .command('make-public')
    .description('make one of your limited fulfillment options public (sellers)')
    .argument('<optionId>')
    .option('--json', 'JSON output')
    .action(async (optionId: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const option = await client.request<FulfillmentOption>(
        'POST',
        `/v1/fulfillment-options/${encodeURIComponent(optionId)}/make-public`,
      );
      if (opts.json) printJson(option);
      else note(`fulfillment option ${option.id} is ${option.visibility}`);
    });
}
