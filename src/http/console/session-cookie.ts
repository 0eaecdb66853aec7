import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie holding the console's session id. */
export const SESSION_COOKIE = 'goldsmith_session';

/** The header a cookie-authenticated request that changes something must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's value on a request, if it sent one. */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/**
 * Sets (or, with undefined, clears) the session cookie. HttpOnly keeps it from
 * page scripts; SameSite=Strict keeps other sites' pages from sending it
 * (RFC 6265bis section 5.4.7); Secure whenever the request came over HTTPS.
 */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string | undefined,
): void {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (request.protocol === 'https') attributes.push('Secure');
  if (id === undefined) attributes.push('Max-Age=0');
  reply.header('set-cookie', [`${SESSION_COOKIE}=${id ?? ''}`, ...attributes].join('; '));
}
