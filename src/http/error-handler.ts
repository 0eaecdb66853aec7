import type { FastifyError, FastifyInstance } from 'fastify';

import { DomainError } from '../errors/domain-error.js';
import { ERROR_CATALOGUE } from '../errors/error-catalogue.js';

/** Maps domain errors to HTTP statuses and every error to `{code, message}` (plus a domain error's `details`). */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DomainError | Error, request, reply) => {
    if (error instanceof DomainError) {
      return reply.status(ERROR_CATALOGUE[error.code].status).send({
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation !== undefined) {
      return reply.status(400).send({ code: 'VALIDATION_FAILED', message: fastifyError.message });
    }
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ code: 'PAYLOAD_TOO_LARGE', message: fastifyError.message });
    }
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      return reply
        .status(fastifyError.statusCode)
        .send({ code: 'VALIDATION_FAILED', message: fastifyError.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ code: 'INTERNAL_ERROR', message: `internal error; request id ${request.id}` });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` }),
  );
}
