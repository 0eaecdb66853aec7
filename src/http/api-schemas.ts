import { Type, type Static } from 'typebox';

import { BUILD_PHASES, BUILD_STATES, PLATFORMS, ROLES } from '../domain/types.js';

const literalUnion = <const T extends string[]>(values: readonly [...T]) => Type.Enum(values);

export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Structured data of some codes, e.g. `problems` of LOAD_FORM_INVALID.',
      }),
    ),
  },
  { $id: 'Error', description: 'Every error: a stable code (see docs/errors.md) and a message.' },
);

export const RoleSchema = literalUnion(ROLES);
export const StateSchema = literalUnion(BUILD_STATES);

export const AccountSchema = Type.Object(
  {
    id: Type.String({ description: '12-digit account id' }),
    name: Type.String(),
    roles: Type.Array(RoleSchema),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Account' },
);

export const IssuedTokenSchema = Type.Object(
  {
    accountId: Type.String(),
    tokenId: Type.String(),
    token: Type.String({ description: 'The secret, shown once.' }),
  },
  { $id: 'IssuedToken' },
);

export const PackageSchema = Type.Object(
  {
    id: Type.String(),
    fileName: Type.String(),
    digest: Type.String(),
    size: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Package' },
);

export const FindingSchema = Type.Object(
  {
    code: Type.String(),
    severity: literalUnion(['critical', 'high', 'medium', 'low', 'info'] as const),
    message: Type.String(),
    remedy: Type.String(),
    evidence: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Finding' },
);

const PhaseSchema = Type.Object({
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const BuildSchema = Type.Object(
  {
    id: Type.String(),
    packageGroupId: Type.String(),
    osVersion: Type.String(),
    state: StateSchema,
    imageId: Type.Union([Type.String(), Type.Null()]),
    baseImageId: Type.Union([Type.String(), Type.Null()]),
    baseDigest: Type.Union([Type.String(), Type.Null()]),
    scanReportDigest: Type.Union([Type.String(), Type.Null()], {
      description: 'Set once the Scanning stage ran: GET /v1/builds/{id}/scan-report serves it.',
    }),
    submittedAt: Type.String({ format: 'date-time' }),
    startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    phases: Type.Partial(
      Type.Object(Object.fromEntries(BUILD_PHASES.map((p) => [p, PhaseSchema]))),
    ),
    findings: Type.Array(FindingSchema),
    attempts: Type.Integer(),
    internalError: Type.Union([Type.String(), Type.Null()], {
      description: 'Shown to operators only; null for everyone else.',
    }),
    investigation: Type.Union(
      [
        Type.Object({
          since: Type.String({ format: 'date-time' }),
          contactAvailableAt: Type.String({
            format: 'date-time',
            description:
              'From then on (four business days later) the seller may open a support case.',
          }),
        }),
        Type.Null(),
      ],
      { description: 'Set while the build is Investigating.' },
    ),
  },
  { $id: 'Build' },
);

export const SupportCaseSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    buildId: Type.String(),
    message: Type.String(),
    state: literalUnion(['open', 'closed'] as const),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SupportCase' },
);

export const PackageGroupSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    platform: literalUnion(PLATFORMS),
    osVersions: Type.Array(Type.String()),
    packages: Type.Array(
      Type.Object({
        packageId: Type.String(),
        fileName: Type.String(),
        digest: Type.String(),
        size: Type.Integer(),
        installer: Type.Boolean(),
      }),
    ),
    state: StateSchema,
    createdAt: Type.String({ format: 'date-time' }),
    builds: Type.Array(BuildSchema),
  },
  { $id: 'PackageGroup' },
);

export const CreatePackageGroupBody = Type.Object(
  {
    name: Type.String({
      description: 'Fewer than 100 characters of [A-Za-z0-9_-], unique per account forever.',
    }),
    platform: literalUnion(PLATFORMS),
    osVersions: Type.Array(Type.String()),
    packages: Type.Array(
      Type.Object({ packageId: Type.String(), installer: Type.Boolean({ default: false }) }),
    ),
  },
  { additionalProperties: false },
);
export type CreatePackageGroupBody = Static<typeof CreatePackageGroupBody>;

export const LogLineSchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  stream: literalUnion(['stdout', 'stderr', 'system'] as const),
  text: Type.String(),
});

/** Where a page of output lines starts and how long it is: `?after=SEQ&limit=N`. */
export const LogPageQuerySchema = Type.Object({
  after: Type.Integer({ minimum: 0, default: 0, description: 'Return lines after this seq' }),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
});

export const LogPageSchema = Type.Object(
  {
    lines: Type.Array(LogLineSchema),
    nextSeq: Type.Integer(),
    complete: Type.Boolean({ description: 'The build has finished and every line has been read.' }),
  },
  { $id: 'LogPage' },
);

export const ImageSchema = Type.Object(
  {
    id: Type.String(),
    kind: literalUnion(['base', 'test', 'gold', 'private'] as const),
    osVersion: Type.String(),
    manifestDigest: Type.String(),
    configDigest: Type.String(),
    layers: Type.Array(
      Type.Object({
        mediaType: Type.String(),
        digest: Type.String(),
        diffId: Type.String(),
        size: Type.Integer(),
      }),
    ),
    parentImageId: Type.Union([Type.String(), Type.Null()]),
    sbomDigest: Type.Union([Type.String(), Type.Null()]),
    scanReportDigest: Type.Union([Type.String(), Type.Null()], {
      description: 'Set when the image was scanned: GET /v1/images/{id}/scan-report serves it.',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Image' },
);

export const OsVersionSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    platform: literalUnion(PLATFORMS),
    family: Type.String(),
    packageFormat: Type.String(),
    baseImageId: Type.Union([Type.String(), Type.Null()], {
      description: 'The newest base image, or null until it is built on first use.',
    }),
    baseDigest: Type.Union([Type.String(), Type.Null()]),
    baseCreatedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'OsVersion' },
);
