import type { Store } from '../../src/store/store.js';

/** The catalog rows of one product with a version and fulfillment options, straight in the store. */
export async function publishProduct(
  store: Store,
  input: {
    readonly sellerAccountId: string;
    readonly title: string;
    readonly options: readonly {
      readonly id: string;
      readonly packageGroupId: string;
      readonly packageGroupName: string;
      readonly osVersions: readonly string[];
      readonly visibility?: 'public' | 'limited';
    }[];
  },
): Promise<{ productId: string }> {
  const now = new Date().toISOString();
  const productId = `prod-${input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  await store.products.insertProduct({
    id: productId,
    sellerAccountId: input.sellerAccountId,
    title: input.title,
    shortDescription: 'An agent',
    longDescription: 'An agent that reports.',
    highlights: ['small'],
    categories: ['Monitoring'],
    searchKeywords: ['agent'],
    vendorName: 'Acme Corp',
    supportContact: 'support@acme.test',
    eulaUrl: 'https://acme.test/eula',
    usageInstructions: 'Run it.',
    createdAt: now,
    updatedAt: now,
  });
  const versionId = `${productId}-v1`;
  await store.products.insertVersion({
    id: versionId,
    productId,
    version: '2.4',
    releaseNotes: 'First release',
    createdAt: now,
  });
  for (const option of input.options) {
    await store.products.insertOption({
      id: option.id,
      productId,
      versionId,
      deliveryMethod: 'private-image-build',
      packageGroupId: option.packageGroupId,
      packageGroupName: option.packageGroupName,
      osVersions: option.osVersions,
      imageIds: option.osVersions.map(() => 'img-00000000000000000'),
      visibility: option.visibility ?? 'public',
      testAccountIds: [],
      createdAt: now,
    });
  }
  return { productId };
}

/**
 * A seller's package group (rows only, no builds) published as the one fulfillment option of a
 * product: the catalog a buyer's build needs, when publishing itself is tested elsewhere.
 */
export async function publishGroupAsProduct(
  store: Store,
  input: {
    readonly sellerAccountId: string;
    readonly title: string;
    readonly groupId: string;
    readonly optionId: string;
  },
): Promise<{ productId: string }> {
  await store.packageGroups.insertReservingName({
    id: input.groupId,
    accountId: input.sellerAccountId,
    name: input.groupId,
    platform: 'linux',
    osVersions: ['debian-12'],
    packages: [],
    createdAt: new Date().toISOString(),
    deletedAt: null,
  });
  return publishProduct(store, {
    sellerAccountId: input.sellerAccountId,
    title: input.title,
    options: [
      {
        id: input.optionId,
        packageGroupId: input.groupId,
        packageGroupName: input.groupId,
        osVersions: ['debian-12'],
      },
    ],
  });
}
