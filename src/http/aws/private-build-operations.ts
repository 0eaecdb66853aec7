import { DomainError } from '../../errors/domain-error.js';
import type { ErrorCode } from '../../errors/error-catalogue.js';
import type { PrivateImageBuild } from '../../domain/private-builds/private-build.js';
import type {
  BuildFilter,
  PrivateBuildService,
} from '../../domain/private-builds/private-build-service.js';
import type { Account } from '../../domain/types.js';
import { AwsServiceError, type AwsErrorName } from './aws-errors.js';
import type { AwsOperationHandler, AwsOperationRegistry } from './aws-json-protocol.js';

/**
 * The one table from the private builds' domain error codes to the AWS
 * exception names (the model's, or the buyer guide's where the model has none).
 */
export const AWS_ERROR_NAME_OF: Readonly<Partial<Record<ErrorCode, AwsErrorName>>> = {
  INVALID_FULFILLMENT_OPTION_ID: 'InvalidFulfillmentOptionIdException',
  SUBSCRIPTION_NOT_FOUND: 'SubscriptionNotFoundException',
  INVALID_SOURCE_IMAGE_ID: 'InvalidSourceImageIdException',
  INSTALLER_MISMATCH: 'InstallerMismatchException',
  INVALID_DESTINATION_IMAGE_NAME: 'InvalidDestinationImageNameException',
  INVALID_DESTINATION_IMAGE_DESCRIPTION: 'InvalidDestinationImageDescriptionException',
  IDEMPOTENT_PARAMETER_MISMATCH: 'IdempotentParameterMismatchException',
  BUILD_LIMIT_EXCEEDED: 'BuildLimitExceededException',
  // The model's only throttling-like error: too many builds, whatever counted them.
  ACCOUNT_QUEUE_FULL: 'BuildLimitExceededException',
  BUILD_ID_NOT_FOUND: 'BuildIdNotFoundException',
  INVALID_BUILD_ID: 'InvalidBuildIdException',
  INVALID_MAX_RESULTS: 'InvalidMaxResultsException',
  INVALID_NEXT_TOKEN: 'InvalidNextTokenException',
  INVALID_FILTER: 'InvalidFilterException',
  UNAUTHORIZED_OPERATION: 'UnauthorizedOperationException',
  // The webhook is Goldsmith's stand-in for the model's SNS topic.
  INVALID_WEBHOOK_URL: 'InvalidSnsTopicArnException',
};

/** StartBuild and DescribeBuilds of marketplaceimagebuild-2017-12-15, and ListBuilds, over the private builds. */
export function privateBuildOperations(builds: PrivateBuildService): AwsOperationRegistry {
  const startBuild: AwsOperationHandler = async (account, input) => {
    const { build } = await builds.start(account, {
      fulfillmentOptionIds: stringList(input, 'FulfillmentOptionIds', true) ?? [],
      sourceImageId: string(input, 'SourceImageId', true) ?? '',
      destinationName: string(input, 'DestinationImageName', true) ?? '',
      ...optional('destinationDescription', string(input, 'DestinationImageDescription')),
      ...optional('webhookUrl', string(input, 'SnsTopicArn')),
      ...optional('clientToken', string(input, 'ClientToken')),
    });
    return { BuildId: build.id, Products: products(build) };
  };
  const describeBuilds: AwsOperationHandler = async (account, input, { baseUrl }) => {
    const maxResults = input['MaxResults'];
    if (maxResults !== undefined && typeof maxResults !== 'number') {
      throw new AwsServiceError('SerializationException', 'MaxResults must be an integer.');
    }
    const page = await builds.describe(account, {
      ...optional('buildIds', stringList(input, 'BuildIds')),
      ...optional('filters', filters(input)),
      ...optional('maxResults', maxResults),
      ...optional('nextToken', string(input, 'NextToken')),
    });
    return {
      Builds: page.builds.map((b) => buildShape(builds, b, baseUrl)),
      ...optional('NextToken', page.nextToken),
    };
  };
  // ListBuilds is named by the buyer's guide and the design but not by the 2017-12-15 model:
  // DescribeBuilds's shapes, without BuildIds.
  const listBuilds: AwsOperationHandler = async (account, input, context) => {
    if (input['BuildIds'] !== undefined) {
      throw new AwsServiceError(
        'SerializationException',
        'ListBuilds takes no BuildIds; use DescribeBuilds for given builds.',
      );
    }
    return describeBuilds(account, input, context);
  };
  return new Map([
    ['StartBuild', withAwsErrors(startBuild)],
    ['DescribeBuilds', withAwsErrors(describeBuilds)],
    ['ListBuilds', withAwsErrors(listBuilds)],
  ]);
}

/** The model's Build shape; timestamps as epoch seconds (AWS JSON 1.1). */
function buildShape(
  builds: PrivateBuildService,
  build: PrivateImageBuild,
  baseUrl: string,
): Record<string, unknown> {
  const links = builds.logLinks(build, baseUrl);
  return {
    BuildId: build.id,
    DestinationImage: {
      ...optional('Id', build.imageId ?? undefined),
      Name: build.destinationName,
      ...optional('Description', build.destinationDescription ?? undefined),
    },
    FulfillmentOptionIds: [...build.fulfillmentOptionIds],
    Products: products(build),
    SourceImage: { Id: build.sourceImageId },
    ...optional('SnsTopicArn', build.webhookUrl ?? undefined),
    Status: build.status,
    StandardOutputUrl: links.stdout,
    StandardErrorUrl: links.stderr,
    ...optional(
      'ErrorDetail',
      build.errorDetail === null
        ? undefined
        : { Code: build.errorDetail.code, Message: build.errorDetail.message },
    ),
    StartTime: epochSeconds(build.startTime),
    LastUpdateTime: epochSeconds(build.lastUpdateTime),
  };
}

function products(build: PrivateImageBuild): Record<string, string>[] {
  return build.products.map((p) => ({ Id: p.id, Version: p.version, Title: p.title }));
}

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** Domain errors as their AWS exception names; others pass through as internal errors. */
function withAwsErrors(handler: AwsOperationHandler): AwsOperationHandler {
  return async (account: Account, input, context) => {
    try {
      return await handler(account, input, context);
    } catch (error) {
      if (error instanceof DomainError) {
        const name = AWS_ERROR_NAME_OF[error.code];
        if (name !== undefined) throw new AwsServiceError(name, error.message);
      }
      throw error;
    }
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function string(
  input: Readonly<Record<string, unknown>>,
  member: string,
  required = false,
): string | undefined {
  const value = input[member];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') {
    throw new AwsServiceError(
      'SerializationException',
      `${member} ${value === undefined ? 'is required' : 'must be a string'}.`,
    );
  }
  return value;
}

function stringList(
  input: Readonly<Record<string, unknown>>,
  member: string,
  required = false,
): string[] | undefined {
  const value = input[member];
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new AwsServiceError(
      'SerializationException',
      `${member} ${value === undefined ? 'is required' : 'must be a list of strings'}.`,
    );
  }
  return value as string[];
}

function filters(input: Readonly<Record<string, unknown>>): BuildFilter[] | undefined {
  const value = input['Filters'];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new AwsServiceError('SerializationException', 'Filters must be a list.');
  }
  return value.map((item: unknown) => {
    const filter = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    return {
      name: string(filter, 'Name', true) ?? '',
      values: stringList(filter, 'Values', true) ?? [],
    };
  });
}
