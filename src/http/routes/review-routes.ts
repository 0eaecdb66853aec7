import { Type, type TSchema } from 'typebox';

import type { AppServices } from '../app-services.js';
import { caller } from '../auth.js';
import {
  MessageBody,
  OptionalMessageBody,
  SubmissionSchema,
  SubmissionStateSchema,
} from '../publishing-schemas.js';
import type { TypedApp } from '../typed-app.js';

/** The operators' review of load form submissions. */
export function reviewRoutes(app: TypedApp, services: AppServices): void {
  const params = Type.Object({ submissionId: Type.String() });
  const action = <Body extends TSchema>(summary: string, body: Body) => ({
    schema: {
      tags: ['review'],
      summary,
      params,
      body,
      response: { 200: SubmissionSchema },
    },
  });

  app.get(
    '/v1/review/submissions',
    {
      schema: {
        tags: ['review'],
        summary: 'Every account’s submissions (in one state), oldest first (operators)',
        querystring: Type.Object({ state: Type.Optional(SubmissionStateSchema) }),
        response: { 200: Type.Object({ submissions: Type.Array(SubmissionSchema) }) },
      },
    },
    async (request) => {
      caller(request, 'operator');
      return { submissions: await services.review.queue(request.query.state ?? null) };
    },
  );

  app.get(
    '/v1/review/submissions/:submissionId',
    {
      schema: {
        tags: ['review'],
        summary: 'Any submission, with its conversation (operators)',
        params,
        response: { 200: SubmissionSchema },
      },
    },
    async (request) => {
      caller(request, 'operator');
      return services.review.get(request.params.submissionId);
    },
  );

  app.post(
    '/v1/review/submissions/:submissionId/start',
    action('Start reviewing a Submitted form (→ UnderReview)', OptionalMessageBody),
    async (request) =>
      services.review.start(
        caller(request, 'operator').id,
        request.params.submissionId,
        request.body.message,
      ),
  );

  app.post(
    '/v1/review/submissions/:submissionId/clarify',
    action('Ask the seller a question (UnderReview → NeedsClarification)', MessageBody),
    async (request) =>
      services.review.clarify(
        caller(request, 'operator').id,
        request.params.submissionId,
        request.body.message,
      ),
  );

  app.post(
    '/v1/review/submissions/:submissionId/publish',
    action(
      'Publish: check the rules again and create or update the products (UnderReview → Published)',
      OptionalMessageBody,
    ),
    async (request) =>
      services.review.publish(
        caller(request, 'operator').id,
        request.params.submissionId,
        request.body.message,
      ),
  );

  app.post(
    '/v1/review/submissions/:submissionId/reject',
    action('Reject the submission, telling the seller why (→ Rejected)', MessageBody),
    async (request) =>
      services.review.reject(
        caller(request, 'operator').id,
        request.params.submissionId,
        request.body.message,
      ),
  );
}
