import { consoleHref } from '../../app/console-paths.js';

// Detail pages are the list pages with a query, so the side navigation keeps one link per list.

/** A product's page. */
export function productHref(productId: string): string {
  return consoleHref(`buyer/products?productId=${encodeURIComponent(productId)}`);
}

/** The "Create new private image" form, with a fulfillment option chosen when given. */
export function createPrivateImageHref(optionId?: string): string {
  return consoleHref(
    `buyer/private-builds?create=1${optionId === undefined ? '' : `&optionId=${encodeURIComponent(optionId)}`}`,
  );
}

/** An instance's page with its console. */
export function instanceHref(instanceId: string): string {
  return consoleHref(`buyer/instances?instanceId=${encodeURIComponent(instanceId)}`);
}
