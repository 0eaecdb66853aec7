import { randomUUID } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Account } from '../../domain/types.js';
import { requestBaseUrl } from '../request-base-url.js';
import type { TypedApp } from '../typed-app.js';
import { AwsServiceError } from './aws-errors.js';
import type { SigV4Verifier } from './sigv4-verifier.js';

/*
 * The AWS JSON 1.1 protocol of marketplaceimagebuild-2017-12-15: `POST /`
 * with `X-Amz-Target: <targetPrefix>.<Operation>`, signed with SigV4 under
 * the model's signing name. A test checks these against the model's metadata.
 */
export const AWS_TARGET_PREFIX = 'AWSMPImageBuilding';
export const AWS_SIGNING_NAME = 'aws-marketplace';
export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** What an operation knows of its request besides the caller and the input. */
export interface AwsRequestContext {
  /**
   * The server's URL as the caller reached it (protocol and Host header), so links in the
   * output work through a load balancer, whichever API server answered.
   */
  readonly baseUrl: string;
}

/** One operation: the calling account and the parsed JSON input to the JSON output. */
export type AwsOperationHandler = (
  account: Account,
  input: Readonly<Record<string, unknown>>,
  context: AwsRequestContext,
) => Promise<Record<string, unknown>>;

/** Operations by name (`StartBuild`); an unlisted name answers UnknownOperationException. */
export type AwsOperationRegistry = ReadonlyMap<string, AwsOperationHandler>;

export interface AwsJsonProtocolOptions {
  readonly verifier: SigV4Verifier;
  /** The account of a verified access key's owner. */
  readonly account: (accountId: string) => Promise<Account>;
  /** Called after a request is verified, to record when the key was last used. */
  readonly keyUsed: (accessKeyId: string) => Promise<void>;
  readonly operations: AwsOperationRegistry;
}

/**
 * Serves the AWS JSON protocol on `POST /` as an encapsulated plugin, with
 * its own body parsing and error form, outside the bearer-token auth.
 */
export async function awsJsonProtocol(
  app: TypedApp,
  options: AwsJsonProtocolOptions,
): Promise<void> {
  await app.register(async (aws) => {
    // SigV4 signs the body's exact bytes, so every body is kept raw.
    aws.removeAllContentTypeParsers();
    aws.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    aws.setErrorHandler((error, request, reply) => sendError(error, request, reply));
    aws.addHook('onRequest', async (_request, reply) => {
      reply.header('x-amzn-RequestId', randomUUID());
    });

    aws.post(
      '/',
      { schema: { hide: true }, config: { bearerAuth: false } },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const caller = await options.verifier.verify({
          method: request.method,
          url: request.raw.url ?? request.url,
          headers: pairs(request.raw.rawHeaders),
          body,
        });
        await options.keyUsed(caller.accessKeyId);
        const account = await options.account(caller.accountId);

        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
        if (contentType.toLowerCase() !== AWS_JSON_CONTENT_TYPE) {
          throw new AwsServiceError(
            'SerializationException',
            `Content-Type must be ${AWS_JSON_CONTENT_TYPE}.`,
          );
        }
        const handler = options.operations.get(operationOf(request.headers['x-amz-target']));
        if (handler === undefined) {
          throw new AwsServiceError(
            'UnknownOperationException',
            `Unknown operation ${String(request.headers['x-amz-target'])}.`,
          );
        }
        const output = await handler(account, parseInput(body), {
          baseUrl: requestBaseUrl(request),
        });
        return reply
          .status(200)
          .header('content-type', AWS_JSON_CONTENT_TYPE)
          .send(jsonBody(output));
      },
    );
  });
}

/** The operation named by `X-Amz-Target`, or '' when the header is missing or for another service. */
function operationOf(target: string | string[] | undefined): string {
  if (typeof target !== 'string') {
    throw new AwsServiceError('UnknownOperationException', 'The X-Amz-Target header is missing.');
  }
  const prefix = `${AWS_TARGET_PREFIX}.`;
  return target.startsWith(prefix) ? target.slice(prefix.length) : '';
}

function parseInput(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsServiceError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AwsServiceError('SerializationException', 'The request body must be a JSON object.');
  }
  return input as Record<string, unknown>;
}

function pairs(raw: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i]!, raw[i + 1]!]);
  return result;
}

/** Answers `{"__type", "message"}` with `x-amzn-ErrorType`, as AWS JSON services do. */
function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let awsError: AwsServiceError;
  if (error instanceof AwsServiceError) {
    awsError = error;
  } else if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    awsError = new AwsServiceError('SerializationException', 'The request body is too large.');
  } else {
    request.log.error({ err: error }, 'AWS JSON request failed');
    awsError = new AwsServiceError(
      'InternalServerErrorException',
      `Internal error; request id ${String(reply.getHeader('x-amzn-RequestId'))}.`,
    );
  }
  return reply
    .status(awsError.status)
    .header('content-type', AWS_JSON_CONTENT_TYPE)
    .header('x-amzn-ErrorType', awsError.errorName)
    .send(jsonBody({ __type: awsError.errorName, message: awsError.message }));
}

/** A Buffer, so Fastify sends the content type exactly, without a charset, as AWS does. */
function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
