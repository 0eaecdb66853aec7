import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

const WebhookDeliverySchema = Type.Object({
  id: Type.String({ description: 'Sent as `x-goldsmith-delivery`; the same on every attempt' }),
  url: Type.String(),
  eventType: Type.String(),
  eventId: Type.String(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('retrying'),
    Type.Literal('delivered'),
    Type.Literal('failed'),
  ]),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The caller's webhook signing secret and the record of its deliveries. */
export function webhooksRoutes(app: TypedApp, services: AppServices): void {
  app.get(
    '/v1/webhooks/secret',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          "The caller's webhook signing secret (created on first use); see docs/webhooks.md to verify `x-goldsmith-signature`",
        response: {
          200: Type.Object({
            accountId: Type.String(),
            secret: Type.String(),
            createdAt: Type.String({ format: 'date-time' }),
          }),
        },
      },
    },
    async (request) => services.webhookSecrets.getOrCreateSigningSecret(caller(request).id),
  );

  app.get(
    '/v1/webhooks/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "The caller's most recent webhook deliveries, newest first",
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: { 200: Type.Object({ deliveries: Type.Array(WebhookDeliverySchema) }) },
      },
    },
    async (request) => ({
      deliveries: await services.webhooks.deliveries(caller(request).id, request.query.limit),
    }),
  );
}
