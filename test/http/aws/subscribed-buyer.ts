import { publishGroupAsProduct } from '../../private-builds/private-build-fixtures.js';
import type { Harness, TestAccount } from '../../support/goldsmith-harness.js';

/**
 * A buyer subscribed to a seller's product "Acme Agent", whose one fulfillment option
 * `fo-debian` builds the group `pg-debian`: who may call StartBuild through the AWS protocol.
 */
export async function subscribedBuyer(harness: Harness): Promise<TestAccount> {
  const seller = await harness.createAccount('Acme Software', ['seller']);
  const buyer = await harness.createAccount('Buyer One', ['buyer']);
  const { productId } = await publishGroupAsProduct(harness.server.store, {
    sellerAccountId: seller.accountId,
    title: 'Acme Agent',
    groupId: 'pg-debian',
    optionId: 'fo-debian',
  });
  await buyer.client.request('POST', `/v1/products/${productId}/subscriptions`, {
    acceptTerms: true,
  });
  return buyer;
}
