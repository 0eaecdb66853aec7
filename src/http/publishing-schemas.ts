import { Type, type TArrayOptions, type TSchema } from 'typebox';

import {
  FULFILLMENT_ACTIONS,
  PRODUCT_CATEGORIES,
  SUBMISSION_STATES,
  VISIBILITIES,
} from '../domain/publishing/publishing-types.js';

const literalUnion = <const T extends string[]>(values: readonly [...T]) => Type.Enum(values);
/** An array the domain types hold as `readonly T[]`. */
const list = <T extends TSchema>(item: T, options?: TArrayOptions) =>
  Type.Immutable(Type.Array(item, options));

export const SubmissionStateSchema = literalUnion(SUBMISSION_STATES);

/** ProductDetails: what the load form gives and the catalog shows of a product. */
const productDetails = {
  shortDescription: Type.String(),
  longDescription: Type.String(),
  highlights: list(Type.String()),
  categories: list(literalUnion(PRODUCT_CATEGORIES)),
  searchKeywords: list(Type.String()),
  vendorName: Type.String(),
  supportContact: Type.String(),
  eulaUrl: Type.String(),
  usageInstructions: Type.String(),
};

const LoadFormEntrySchema = Type.Object({
  row: Type.Integer(),
  productTitle: Type.String(),
  ...productDetails,
  softwareVersion: Type.String(),
  releaseNotes: Type.String(),
  packageGroupName: Type.String(),
  fulfillmentAction: literalUnion(FULFILLMENT_ACTIONS),
  visibility: literalUnion(VISIBILITIES),
  testAccountIds: list(Type.String()),
});

export const SubmissionSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    description: Type.String(),
    fileName: Type.String(),
    workbookDigest: Type.String(),
    entries: list(LoadFormEntrySchema),
    state: SubmissionStateSchema,
    submittedAt: Type.String({ format: 'date-time' }),
    targetDate: Type.String({ format: 'date', description: 'Five business days after upload.' }),
    updatedAt: Type.String({ format: 'date-time' }),
    conversation: list(
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        accountId: Type.String(),
        author: literalUnion(['seller', 'operator'] as const),
        kind: literalUnion([
          'question',
          'answer',
          'corrected-form',
          'note',
          'published',
          'rejected',
        ] as const),
        text: Type.String(),
      }),
    ),
  },
  { $id: 'LoadFormSubmission' },
);

export const FulfillmentOptionSchema = Type.Object(
  {
    id: Type.String(),
    productId: Type.String(),
    versionId: Type.String(),
    deliveryMethod: literalUnion(['private-image-build'] as const),
    packageGroupId: Type.String(),
    packageGroupName: Type.String(),
    osVersions: list(Type.String()),
    imageIds: list(Type.String()),
    visibility: literalUnion(VISIBILITIES),
    testAccountIds: list(Type.String(), {
      description: 'Shown to the seller only; empty for everyone else.',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'FulfillmentOption' },
);

export const ProductSchema = Type.Object(
  {
    id: Type.String(),
    sellerAccountId: Type.String(),
    title: Type.String(),
    ...productDetails,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    versions: list(
      Type.Object({
        id: Type.String(),
        productId: Type.String(),
        version: Type.String(),
        releaseNotes: Type.String(),
        createdAt: Type.String({ format: 'date-time' }),
        fulfillmentOptions: list(FulfillmentOptionSchema, {
          description: 'Only the options the caller may use: public, or limited to it.',
        }),
        testedOn: list(Type.Object({ osVersion: Type.String(), imageId: Type.String() }), {
          description:
            'The version’s images, visible right away even while its options are limited.',
        }),
      }),
    ),
  },
  { $id: 'Product' },
);

export const SubscriptionSchema = Type.Object(
  {
    id: Type.String(),
    buyerAccountId: Type.String(),
    productId: Type.String(),
    eulaUrl: Type.String({ description: 'The EULA accepted when subscribing.' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Subscription' },
);

/** A message body of a review action or a seller's answer. */
export const MessageBody = Type.Object(
  { message: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);

/** An optional message, for actions that need none. */
export const OptionalMessageBody = Type.Object(
  { message: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })) },
  { additionalProperties: false },
);
