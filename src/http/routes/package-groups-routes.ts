import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { CreatePackageGroupBody, PackageGroupSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';
import type {
  PackageGroupView,
  PresentedPackageGroup,
} from '../../domain/package-groups/package-group-service.js';
import type { Account } from '../../domain/types.js';

/** A group with its builds as the viewer may see them. */
function present(
  services: AppServices,
  group: PackageGroupView,
  viewer: Account,
): PresentedPackageGroup {
  return { ...group, builds: group.builds.map((b) => services.builds.present(b, viewer)) };
}

/** The calling seller's group that `act` returns, with its builds as the seller may see them. */
async function presentToSeller(
  services: AppServices,
  request: FastifyRequest,
  act: (seller: Account) => Promise<PackageGroupView>,
): Promise<PresentedPackageGroup> {
  const seller = caller(request, 'seller');
  return present(services, await act(seller), seller);
}

/** A seller's package groups, each with its derived state and OS builds. */
export function packageGroupsRoutes(app: TypedApp, services: AppServices): void {
  const idParams = Type.Object({
    idOrName: Type.String({ description: 'Package group id or name' }),
  });

  app.post(
    '/v1/package-groups',
    {
      schema: {
        tags: ['package groups'],
        summary: 'Create a package group; one build per OS version starts at once',
        body: CreatePackageGroupBody,
        response: { 201: PackageGroupSchema },
      },
    },
    async (request, reply) => {
      const account = caller(request, 'seller');
      const group = await services.packageGroups.create(account.id, request.body);
      return reply.status(201).send(present(services, group, account));
    },
  );

  app.get(
    '/v1/package-groups',
    {
      schema: {
        tags: ['package groups'],
        summary: 'List the account’s package groups, newest first',
        response: { 200: Type.Object({ packageGroups: Type.Array(PackageGroupSchema) }) },
      },
    },
    async (request) => {
      const account = caller(request, 'seller');
      const groups = await services.packageGroups.list(account.id);
      return { packageGroups: groups.map((g) => present(services, g, account)) };
    },
  );

  app.get(
    '/v1/package-groups/:idOrName',
    {
      schema: {
        tags: ['package groups'],
        summary: 'One package group by id or name',
        params: idParams,
        response: { 200: PackageGroupSchema },
      },
    },
    async (request) =>
      presentToSeller(services, request, (seller) =>
        services.packageGroups.get(seller.id, request.params.idOrName),
      ),
  );

  app.post(
    '/v1/package-groups/:idOrName/cancel',
    {
      schema: {
        tags: ['package groups'],
        summary: 'Cancel the group’s unfinished builds; they end Cancelled',
        params: idParams,
        response: { 200: PackageGroupSchema },
      },
    },
    async (request) =>
      presentToSeller(services, request, (seller) =>
        services.packageGroups.cancel(seller.id, request.params.idOrName),
      ),
  );

  app.delete(
    '/v1/package-groups/:idOrName',
    {
      schema: {
        tags: ['package groups'],
        summary: 'Delete a finished package group; its name stays used',
        params: idParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await services.packageGroups.delete(caller(request, 'seller').id, request.params.idOrName);
      return reply.status(204).send(null);
    },
  );
}
