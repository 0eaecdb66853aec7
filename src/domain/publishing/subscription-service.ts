import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { CatalogService } from './catalog-service.js';
import type { Subscription } from './publishing-types.js';

/** Buyers subscribing to products, accepting their terms. */
export class SubscriptionService {
  constructor(
    private readonly store: Store,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
  ) {}

  /**
   * Subscribes the buyer to a product it can see, recording the EULA accepted. Subscribing
   * again returns the first subscription (`created` false).
   */
  async subscribe(
    buyerAccountId: string,
    productId: string,
    acceptTerms: boolean,
  ): Promise<{ subscription: Subscription; created: boolean }> {
    const product = await this.catalog.show(buyerAccountId, productId);
    if (!acceptTerms) {
      throw new DomainError(
        'TERMS_NOT_ACCEPTED',
        `subscribing to ${product.title} needs its terms accepted: ${product.eulaUrl}`,
      );
    }
    const candidate: Subscription = {
      id: newId('sub'),
      buyerAccountId,
      productId,
      eulaUrl: product.eulaUrl,
      createdAt: this.clock.now().toISOString(),
    };
    const subscription = await this.store.subscriptions.insertIfAbsent(candidate);
    return { subscription, created: subscription.id === candidate.id };
  }

  /** The buyer's subscriptions, newest first. */
  async list(buyerAccountId: string): Promise<Subscription[]> {
    return this.store.subscriptions.list(buyerAccountId);
  }

  /** True when the buyer subscribed to the product (what a private image build needs). */
  async hasSubscription(buyerAccountId: string, productId: string): Promise<boolean> {
    return (await this.store.subscriptions.get(buyerAccountId, productId)) !== undefined;
  }
}
