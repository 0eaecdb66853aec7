import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

import type { SignedRequest } from '../../src/http/aws/sigv4-verifier.js';

/*
 * Signs requests with the AWS SDK's own SigV4 signer, so the verifier is
 * tested against an independent implementation rather than itself.
 */

export interface UnsignedRequest {
  readonly method?: string;
  readonly host?: string;
  readonly path?: string;
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface SigningOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly date: Date;
  readonly region?: string;
  readonly service?: string;
}

/** A request signed by @smithy/signature-v4: its wire form for the verifier. */
export async function signRequest(
  request: UnsignedRequest,
  options: SigningOptions,
): Promise<SignedRequest & { readonly headerMap: Record<string, string> }> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
    },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'aws-marketplace',
    sha256: Sha256,
  });
  const host = request.host ?? 'goldsmith.test';
  const signed = await signer.sign(
    {
      method: request.method ?? 'POST',
      protocol: 'https:',
      hostname: host,
      path: request.path ?? '/',
      query: request.query ?? {},
      headers: { host, ...request.headers },
      body: request.body ?? '',
    },
    { signingDate: options.date },
  );
  const query = wireQuery(signed.query ?? {});
  return {
    method: signed.method,
    url: `${signed.path}${query === '' ? '' : `?${query}`}`,
    headers: Object.entries(signed.headers),
    headerMap: { ...signed.headers },
    body: Buffer.from(request.body ?? '', 'utf8'),
  };
}

/** The query string as the SDK's HTTP handlers send it. */
function wireQuery(query: Record<string, string | string[] | null>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) {
      parts.push(`${escape(name)}=${escape(v)}`);
    }
  }
  return parts.join('&');
}

function escape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Replaces one header of a signed request, keeping the signature. */
export function withHeader(request: SignedRequest, name: string, value: string): SignedRequest {
  return {
    ...request,
    headers: [
      ...request.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()),
      [name, value],
    ],
  };
}

/** An access key as `POST /v1/access-keys` answers it. */
export interface TestAccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Calls one operation of the AWS JSON protocol in-process, signed with SigV4 by `key`. */
export async function injectAwsOperation(
  app: { inject(options: InjectRequest): Promise<InjectResponse> },
  key: TestAccessKey,
  operation: string,
  input: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify(input);
  const signed = await signRequest(
    {
      host: 'goldsmith.test',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSMPImageBuilding.${operation}`,
      },
      body,
    },
    { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, date: new Date() },
  );
  const response = await app.inject({
    method: 'POST',
    url: signed.url,
    headers: signed.headerMap,
    payload: body,
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

interface InjectRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  payload: string;
}

interface InjectResponse {
  readonly statusCode: number;
  json<T>(): T;
}
