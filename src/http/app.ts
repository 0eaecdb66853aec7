import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger } from 'fastify';

import type { AppServices } from './app-services.js';
import {
  AccountSchema,
  BuildSchema,
  ErrorBody,
  FindingSchema,
  ImageSchema,
  PackageGroupSchema,
} from './api-schemas.js';
import {
  FulfillmentOptionSchema,
  ProductSchema,
  SubmissionSchema,
  SubscriptionSchema,
} from './publishing-schemas.js';
import { registerAuthentication } from './auth.js';
import { consoleRoutes, defaultConsoleDir } from './console/console-routes.js';
import { ConsoleSessionStore } from './console/console-session-store.js';
import { sessionRoutes } from './console/session-routes.js';
import { registerErrorHandling } from './error-handler.js';
import { observabilityRoutes } from './routes/observability-routes.js';
import {
  awsJsonProtocol,
  AWS_SIGNING_NAME,
  type AwsOperationRegistry,
} from './aws/aws-json-protocol.js';
import { ReplayCache } from './aws/replay-cache.js';
import { SigV4Verifier } from './aws/sigv4-verifier.js';
import { accessKeysRoutes } from './routes/access-keys-routes.js';
import { accountsRoutes } from './routes/accounts-routes.js';
import { buildsRoutes } from './routes/builds-routes.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { goldImagesRoutes } from './routes/gold-images-routes.js';
import { imagesRoutes } from './routes/images-routes.js';
import { instancesRoutes } from './routes/instances-routes.js';
import { investigationsRoutes } from './routes/investigations-routes.js';
import { packageGroupsRoutes } from './routes/package-groups-routes.js';
import { packagesRoutes } from './routes/packages-routes.js';
import { loadFormRoutes } from './routes/load-form-routes.js';
import { privateBuildsRoutes } from './routes/private-builds-routes.js';
import { productsRoutes } from './routes/products-routes.js';
import { reviewRoutes } from './routes/review-routes.js';
import { webhooksRoutes } from './routes/webhooks-routes.js';
import { workersRoutes } from './routes/workers-routes.js';
import { vulnerabilityDatabaseRoutes } from './routes/vulnerability-database-routes.js';
import type { TypedApp } from './typed-app.js';

export interface AppOptions {
  /** The process's logger; the app logs nothing without one. */
  readonly logger?: FastifyBaseLogger;
  readonly version: string;
  /** Operations of the AWS JSON protocol on `POST /` (StartBuild, DescribeBuilds). */
  readonly awsOperations?: AwsOperationRegistry;
  /** The built web console (`npm run build:web`); defaults to this checkout's dist/console. */
  readonly consoleDir?: string;
  /** Believe `X-Forwarded-*` headers: the server sits behind a load balancer that sets them. */
  readonly trustProxy?: boolean;
}

/** Builds the HTTP API; never listens, so tests can `inject` requests. */
export async function buildApp(services: AppServices, options: AppOptions): Promise<TypedApp> {
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }) as unknown as TypedApp;

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Goldsmith API',
        version: options.version,
        description:
          'Private image build service. Authenticate with `Authorization: Bearer <token>`. Errors are `{code, message}`; codes are listed in docs/errors.md.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
  });
  for (const schema of [
    ErrorBody,
    AccountSchema,
    FindingSchema,
    BuildSchema,
    PackageGroupSchema,
    ImageSchema,
    SubmissionSchema,
    FulfillmentOptionSchema,
    ProductSchema,
    SubscriptionSchema,
  ]) {
    app.addSchema(schema);
  }

  registerErrorHandling(app);
  const consoleSessions = new ConsoleSessionStore(services.consoleSessions, services.clock);
  registerAuthentication(app, services.accounts, consoleSessions);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  observabilityRoutes(app, services, options.version);
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, not its path: ids would make one series per resource.
    const route = request.routeOptions.url ?? 'unmatched';
    services.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  sessionRoutes(app, services, consoleSessions);
  await consoleRoutes(app, options.consoleDir ?? defaultConsoleDir());
  accountsRoutes(app, services);
  accessKeysRoutes(app, services);
  await awsJsonProtocol(app, {
    verifier: new SigV4Verifier({
      service: AWS_SIGNING_NAME,
      secrets: (id) => services.accessKeys.secretOf(id),
      clock: services.clock,
      replays: new ReplayCache(services.coordination),
    }),
    account: (id) => services.accounts.get(id),
    keyUsed: (id) => services.accessKeys.markUsed(id),
    operations: options.awsOperations ?? new Map(),
  });
  packagesRoutes(app, services);
  packageGroupsRoutes(app, services);
  buildsRoutes(app, services);
  imagesRoutes(app, services);
  instancesRoutes(app, services);
  goldImagesRoutes(app, services);
  investigationsRoutes(app, services);
  catalogRoutes(app, services);
  loadFormRoutes(app, services);
  reviewRoutes(app, services);
  productsRoutes(app, services);
  privateBuildsRoutes(app, services);
  webhooksRoutes(app, services);
  vulnerabilityDatabaseRoutes(app, services);
  workersRoutes(app, services);
  return app;
}
