import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import type { Clock } from '../../domain/clock.js';
import { AwsServiceError } from './aws-errors.js';
import type { ReplayCache } from './replay-cache.js';

/*
 * Verifies AWS Signature Version 4 on incoming requests, as AWS does for
 * services other than S3:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses requests dated more than 5 minutes from its clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** An incoming request as received, before any decoding. */
export interface SignedRequest {
  readonly method: string;
  /** The request target as sent: the path and query, still percent-encoded. */
  readonly url: string;
  /** Header names and values in the order received; a name may repeat. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** The secret of an access key and the account it belongs to. */
export interface SigningSecret {
  readonly accountId: string;
  readonly secretAccessKey: string;
}

/** Looks up the secret of an access key id; undefined for an unknown id. */
export type SigningSecretLookup = (accessKeyId: string) => Promise<SigningSecret | undefined>;

/** Who signed an accepted request. */
export interface VerifiedCaller {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly region: string;
}

export interface SigV4VerifierOptions {
  /** The service name the credential scope must name: the model's `signingName`. */
  readonly service: string;
  readonly secrets: SigningSecretLookup;
  readonly clock: Clock;
  /** Signatures already accepted; shared through the database by every API server. */
  readonly replays: ReplayCache;
}

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Checks SigV4 signatures against Goldsmith's access keys, refusing stale and replayed requests. */
export class SigV4Verifier {
  readonly #options: SigV4VerifierOptions;

  constructor(options: SigV4VerifierOptions) {
    this.#options = options;
  }

  /** The caller of a correctly signed request; throws an AwsServiceError otherwise. */
  async verify(request: SignedRequest): Promise<VerifiedCaller> {
    const headers = groupHeaders(request.headers);
    const authorization = headers.get('authorization');
    const [path, query = ''] = splitTarget(request.url);
    if (authorization === undefined) {
      if (/(^|&)x-amz-(algorithm|signature)=/i.test(query)) {
        throw new AwsServiceError(
          'IncompleteSignatureException',
          'Query-string (presigned) authentication is not supported; sign the Authorization header.',
        );
      }
      throw new AwsServiceError(
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
      );
    }
    const auth = parseAuthorization(authorization);
    if (headers.has('x-amz-security-token')) {
      // Goldsmith issues no temporary credentials, so no session token can be valid.
      throw new AwsServiceError('UnrecognizedClientException', INVALID_TOKEN);
    }

    const amzDate = headers.get('x-amz-date');
    if (amzDate === undefined) {
      throw new AwsServiceError(
        'IncompleteSignatureException',
        'Authorization header requires existence of the X-Amz-Date header.',
      );
    }
    const signedAt = parseAmzDate(amzDate);
    this.#checkFreshness(amzDate, signedAt);
    this.#checkScope(auth, amzDate);
    for (const required of ['host', 'x-amz-date']) {
      if (!auth.signedHeaders.includes(required)) {
        throw new AwsServiceError(
          'IncompleteSignatureException',
          `The ${required} header must be signed (listed in SignedHeaders).`,
        );
      }
    }
    for (const name of auth.signedHeaders) {
      if (!headers.has(name)) {
        throw new AwsServiceError(
          'IncompleteSignatureException',
          `The signed header ${name} is missing from the request.`,
        );
      }
    }

    const payloadHash = sha256Hex(request.body);
    const declaredHash = headers.get('x-amz-content-sha256');
    if (declaredHash !== undefined && declaredHash !== payloadHash) {
      throw new AwsServiceError(
        'InvalidSignatureException',
        'The provided x-amz-content-sha256 header does not match what was computed.',
      );
    }

    const secret = await this.#options.secrets(auth.accessKeyId);
    if (secret === undefined)
      throw new AwsServiceError('UnrecognizedClientException', INVALID_TOKEN);

    const canonical = canonicalRequest(request.method, path, query, headers, auth, payloadHash);
    const scope = `${auth.scopeDate}/${auth.region}/${auth.service}/${auth.terminator}`;
    const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
    const key = signingKey(secret.secretAccessKey, auth.scopeDate, auth.region, auth.service);
    const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
    if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) {
      throw new AwsServiceError('InvalidSignatureException', SIGNATURE_MISMATCH);
    }

    const nowMs = this.#options.clock.now().getTime();
    const expiresAtMs = signedAt.getTime() + MAX_CLOCK_SKEW_MS;
    if (!(await this.#options.replays.claim(auth.signature, expiresAtMs, nowMs))) {
      throw new AwsServiceError(
        'InvalidSignatureException',
        'This request has already been received; sign every request anew.',
      );
    }
    return { accessKeyId: auth.accessKeyId, accountId: secret.accountId, region: auth.region };
  }

  #checkFreshness(amzDate: string, signedAt: Date): void {
    const now = this.#options.clock.now();
    const skew = signedAt.getTime() - now.getTime();
    if (skew < -MAX_CLOCK_SKEW_MS) {
      const limit = new Date(now.getTime() - MAX_CLOCK_SKEW_MS);
      throw new AwsServiceError(
        'InvalidSignatureException',
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(limit)} (${formatAmzDate(now)} - 5 min.)`,
      );
    }
    if (skew > MAX_CLOCK_SKEW_MS) {
      const limit = new Date(now.getTime() + MAX_CLOCK_SKEW_MS);
      throw new AwsServiceError(
        'InvalidSignatureException',
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(limit)} (${formatAmzDate(now)} + 5 min.)`,
      );
    }
  }

  #checkScope(auth: ParsedAuthorization, amzDate: string): void {
    if (auth.scopeDate !== amzDate.slice(0, 8)) {
      throw new AwsServiceError(
        'InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      );
    }
    if (auth.service !== this.#options.service) {
      throw new AwsServiceError(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${this.#options.service}'.`,
      );
    }
    if (auth.terminator !== 'aws4_request') {
      throw new AwsServiceError(
        'InvalidSignatureException',
        "Credential should be scoped with a valid terminator: 'aws4_request'.",
      );
    }
    if (!/^[a-z0-9-]{1,64}$/.test(auth.region)) {
      throw new AwsServiceError(
        'InvalidSignatureException',
        'Credential should be scoped to a valid region.',
      );
    }
  }
}

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
function parseAuthorization(header: string): ParsedAuthorization {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new AwsServiceError(
      'IncompleteSignatureException',
      `Unsupported Authorization algorithm; only ${ALGORITHM} is accepted.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields.has(f));
  if (missing.length > 0) {
    throw new AwsServiceError(
      'IncompleteSignatureException',
      missing.map((f) => `Authorization header requires '${f}' parameter.`).join(' '),
    );
  }
  const credential = fields.get('Credential')!.split('/');
  if (credential.length !== 5 || credential.some((c) => c === '')) {
    throw new AwsServiceError(
      'IncompleteSignatureException',
      "Credential must have the form 'ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request'.",
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = credential as [
    string,
    string,
    string,
    string,
    string,
  ];
  const signedHeaders = fields.get('SignedHeaders')!.split(';');
  if (signedHeaders.some((h) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h))) {
    throw new AwsServiceError(
      'IncompleteSignatureException',
      'SignedHeaders must list lower-case header names separated by semicolons.',
    );
  }
  const signature = fields.get('Signature')!;
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw new AwsServiceError(
      'IncompleteSignatureException',
      'Signature must be 64 lower-case hexadecimal digits.',
    );
  }
  return { accessKeyId, scopeDate, region, service, terminator, signedHeaders, signature };
}

/** `YYYYMMDDTHHMMSSZ` as a Date; IncompleteSignatureException when malformed. */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const date =
    m === null ? undefined : new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  if (date === undefined || formatAmzDate(date) !== value) {
    throw new AwsServiceError(
      'IncompleteSignatureException',
      `X-Amz-Date must be in the ISO-8601 basic format YYYYMMDD'T'HHMMSS'Z', not '${value}'.`,
    );
  }
  return date;
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Header values by lower-case name; repeated headers joined by commas. */
function groupHeaders(headers: SignedRequest['headers']): Map<string, string> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const values = grouped.get(key) ?? [];
    values.push(value);
    grouped.set(key, values);
  }
  return new Map([...grouped].map(([name, values]) => [name, values.join(',')]));
}

function splitTarget(url: string): [string, string?] {
  const q = url.indexOf('?');
  return q < 0 ? [url] : [url.slice(0, q), url.slice(q + 1)];
}

/** The canonical request of SigV4 (task 1 of the signing process). */
function canonicalRequest(
  method: string,
  path: string,
  query: string,
  headers: ReadonlyMap<string, string>,
  auth: ParsedAuthorization,
  payloadHash: string,
): string {
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${headers.get(name)!.trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  return [
    method.toUpperCase(),
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/**
 * Non-S3 services normalise the path (empty and `.` segments dropped, `..`
 * resolved) and URI-encode the path as sent once more, keeping slashes.
 */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

/** Parameters decoded, re-encoded per RFC 3986 and sorted by name, then value. */
function canonicalQuery(query: string): string {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const [name, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    pairs.push([escapeUri(decodeQueryPart(name)), escapeUri(decodeQueryPart(value))]);
  }
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function decodeQueryPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AwsServiceError(
      'IncompleteSignatureException',
      'The query string is not validly percent-encoded.',
    );
  }
}

/** RFC 3986 percent-encoding: everything but unreserved characters. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  let key = createHmac('sha256', `AWS4${secret}`).update(date, 'utf8').digest();
  for (const part of [region, service, 'aws4_request']) {
    key = createHmac('sha256', key).update(part, 'utf8').digest();
  }
  return key;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
