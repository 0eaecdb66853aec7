import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { caller } from '../auth.js';
import {
  FulfillmentOptionSchema,
  ProductSchema,
  SubscriptionSchema,
} from '../publishing-schemas.js';
import type { TypedApp } from '../typed-app.js';

/** The product catalog, sellers' products and buyers' subscriptions. */
export function productsRoutes(app: TypedApp, services: AppServices): void {
  const params = Type.Object({ productId: Type.String() });

  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['products'],
        summary: 'Products with a fulfillment option visible to you, by title',
        querystring: Type.Object({
          q: Type.Optional(
            Type.String({ description: 'Text in title, descriptions, keywords or vendor' }),
          ),
          category: Type.Optional(Type.String()),
          deliveryMethod: Type.Optional(Type.String({ description: 'private-image-build' })),
          os: Type.Optional(Type.String({ description: 'An OS version id, e.g. debian-12' })),
        }),
        response: { 200: Type.Object({ products: Type.Array(ProductSchema) }) },
      },
    },
    async (request) => {
      const { q, category, deliveryMethod, os } = request.query;
      return {
        products: await services.products.search(caller(request).id, {
          ...(q === undefined ? {} : { text: q }),
          ...(category === undefined ? {} : { category }),
          ...(deliveryMethod === undefined ? {} : { deliveryMethod }),
          ...(os === undefined ? {} : { osVersion: os }),
        }),
      };
    },
  );

  app.get(
    '/v1/products/:productId',
    {
      schema: {
        tags: ['products'],
        summary: 'One product with its versions and the fulfillment options visible to you',
        params,
        response: { 200: ProductSchema },
      },
    },
    async (request) => services.products.show(caller(request).id, request.params.productId),
  );

  app.get(
    '/v1/seller/products',
    {
      schema: {
        tags: ['products'],
        summary: 'Your own products, with every fulfillment option',
        response: { 200: Type.Object({ products: Type.Array(ProductSchema) }) },
      },
    },
    async (request) => ({
      products: await services.products.sellerProducts(caller(request, 'seller').id),
    }),
  );

  app.post(
    '/v1/fulfillment-options/:optionId/make-public',
    {
      schema: {
        tags: ['products'],
        summary: 'Make one of your limited fulfillment options public',
        params: Type.Object({ optionId: Type.String() }),
        response: { 200: FulfillmentOptionSchema },
      },
    },
    async (request) =>
      services.products.makePublic(caller(request, 'seller').id, request.params.optionId),
  );

  app.post(
    '/v1/products/:productId/subscriptions',
    {
      schema: {
        tags: ['products'],
        summary: 'Subscribe to a product, accepting its EULA (again: the first subscription)',
        params,
        body: Type.Object(
          {
            acceptTerms: Type.Boolean({
              description: 'Must be true: you accept the product’s EULA.',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SubscriptionSchema, 201: SubscriptionSchema },
      },
    },
    async (request, reply) => {
      const { subscription, created } = await services.subscriptions.subscribe(
        caller(request).id,
        request.params.productId,
        request.body.acceptTerms,
      );
      return reply.status(created ? 201 : 200).send(subscription);
    },
  );

  app.get(
    '/v1/subscriptions',
    {
      schema: {
        tags: ['products'],
        summary: 'Your subscriptions, newest first',
        response: { 200: Type.Object({ subscriptions: Type.Array(SubscriptionSchema) }) },
      },
    },
    async (request) => ({
      subscriptions: await services.subscriptions.list(caller(request).id),
    }),
  );
}
