import type { FastifyRequest } from 'fastify';

/**
 * The server's URL as the caller reached it: the Host header and the protocol (the load
 * balancer's `X-Forwarded-Proto` when the server trusts its proxy), so links built from it work
 * through whichever API server or balancer the caller used.
 */
export function requestBaseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
