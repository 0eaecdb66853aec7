// The catalog as both the buyers' and the sellers' endpoints show it; each
// view's file adds the fields only it returns.

/** What every view of a fulfillment option (a package group offered for a product version) shows. */
export interface FulfillmentOptionFacts {
  readonly id: string;
  readonly productId: string;
  readonly versionId: string;
  readonly deliveryMethod: 'private-image-build';
  readonly packageGroupName: string;
  readonly osVersions: readonly string[];
  readonly visibility: 'limited' | 'public';
}

/** What every view of a product version shows, apart from its options. */
export interface ProductVersionFacts {
  readonly id: string;
  readonly version: string;
  readonly releaseNotes: string;
  readonly createdAt: string;
}

/** What every view of a product shows, apart from its versions. */
export interface ProductFacts {
  readonly id: string;
  readonly title: string;
  readonly shortDescription: string;
  readonly vendorName: string;
  readonly categories: readonly string[];
}
