import type { Readable } from 'node:stream';

import { Type } from 'typebox';

import { MAX_DESCRIPTION_LENGTH } from '../../domain/publishing/publishing-rules.js';
import { DomainError } from '../../errors/domain-error.js';
import type { AppServices } from '../app-services.js';
import { caller } from '../auth.js';
import { MessageBody, SubmissionSchema } from '../publishing-schemas.js';
import type { TypedApp } from '../typed-app.js';

/** A filled-in load form is a few hundred kilobytes; refuse anything near this. */
export const MAX_LOAD_FORM_BYTES = 10 * 1024 * 1024;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Reads an upload into memory, refusing more than `limit` bytes. */
async function readLimited(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new DomainError('PAYLOAD_TOO_LARGE', `a load form may have at most ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The load form: the blank workbook, sellers' submissions, answers and corrections. */
export function loadFormRoutes(app: TypedApp, services: AppServices): void {
  const params = Type.Object({ submissionId: Type.String() });
  const fileName = Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'The workbook’s file name, e.g. load-form.xlsx',
  });

  app.get(
    '/v1/load-form',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Download the load form (.xlsx) with your Successful package groups',
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const workbook = await services.loadForms.template(caller(request, 'seller').id);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', 'attachment; filename="goldsmith-load-form.xlsx"')
        .send(workbook);
    },
  );

  app.post(
    '/v1/load-form-submissions',
    {
      bodyLimit: Number.MAX_SAFE_INTEGER,
      schema: {
        tags: ['publishing'],
        summary:
          'Submit a filled-in load form (body: the workbook, Content-Type: application/octet-stream)',
        querystring: Type.Object({
          fileName,
          description: Type.String({ maxLength: MAX_DESCRIPTION_LENGTH }),
        }),
        response: { 201: SubmissionSchema },
      },
    },
    async (request, reply) => {
      const account = caller(request, 'seller');
      const data = await readLimited(request.body as Readable, MAX_LOAD_FORM_BYTES);
      const submission = await services.loadForms.submit(account.id, {
        fileName: request.query.fileName,
        description: request.query.description,
        data,
      });
      return reply.status(201).send(submission);
    },
  );

  app.get(
    '/v1/load-form-submissions',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Your load form submissions, newest first',
        response: { 200: Type.Object({ submissions: Type.Array(SubmissionSchema) }) },
      },
    },
    async (request) => ({
      submissions: await services.submissions.list(caller(request, 'seller').id),
    }),
  );

  app.get(
    '/v1/load-form-submissions/:submissionId',
    {
      schema: {
        tags: ['publishing'],
        summary: 'One of your submissions, with its conversation',
        params,
        response: { 200: SubmissionSchema },
      },
    },
    async (request) =>
      services.submissions.get(caller(request, 'seller').id, request.params.submissionId),
  );

  app.post(
    '/v1/load-form-submissions/:submissionId/answer',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Answer the operators’ question (NeedsClarification → UnderReview)',
        params,
        body: MessageBody,
        response: { 200: SubmissionSchema },
      },
    },
    async (request) =>
      services.submissions.answer(
        caller(request, 'seller').id,
        request.params.submissionId,
        request.body.message,
      ),
  );

  app.post(
    '/v1/load-form-submissions/:submissionId/corrected-form',
    {
      bodyLimit: Number.MAX_SAFE_INTEGER,
      schema: {
        tags: ['publishing'],
        summary: 'Replace the workbook with a corrected one (body: the workbook)',
        params,
        querystring: Type.Object({ fileName }),
        response: { 200: SubmissionSchema },
      },
    },
    async (request) => {
      const account = caller(request, 'seller');
      const data = await readLimited(request.body as Readable, MAX_LOAD_FORM_BYTES);
      return services.loadForms.correct(account.id, request.params.submissionId, {
        fileName: request.query.fileName,
        data,
      });
    },
  );
}
