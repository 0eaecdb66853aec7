import { Type } from 'typebox';

import { isFinalState } from '../../domain/package-groups/group-state.js';
import type { AppServices } from '../app-services.js';
import { BuildSchema, LogPageQuerySchema, LogPageSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import { ScanReportQuery, sendScanReport } from '../scan-report-reply.js';
import type { TypedApp } from '../typed-app.js';

/** How often a live view re-reads the store, for changes made by other processes. */
const LIVE_POLL_MS = 2000;

/** OS builds: state, findings, scan report and installer output, also live. */
export function buildsRoutes(app: TypedApp, services: AppServices): void {
  const params = Type.Object({ buildId: Type.String() });

  app.get(
    '/v1/builds/:buildId',
    {
      schema: {
        tags: ['builds'],
        summary: 'One OS build with its findings',
        params,
        response: { 200: BuildSchema },
      },
    },
    async (request) => services.builds.get(caller(request), request.params.buildId),
  );

  app.get(
    '/v1/builds/:buildId/logs',
    {
      schema: {
        tags: ['builds'],
        summary: 'Installer output, line by line with timestamps; readable while the build runs',
        params,
        querystring: LogPageQuerySchema,
        response: { 200: LogPageSchema },
      },
    },
    async (request) =>
      services.builds.logs(
        caller(request),
        request.params.buildId,
        request.query.after,
        request.query.limit,
      ),
  );

  app.get(
    '/v1/builds/:buildId/scan-report',
    {
      schema: {
        tags: ['builds'],
        summary:
          'The build’s scan report (also when the gate stopped it) as table, JSON, CycloneDX, SPDX or SARIF',
        params,
        querystring: ScanReportQuery,
      },
    },
    async (request, reply) => {
      const { buildId } = request.params;
      return sendScanReport(reply, request.query, buildId, () =>
        services.builds.scanReport(caller(request), buildId),
      );
    },
  );

  app.get(
    '/v1/builds/:buildId/events',
    {
      schema: {
        tags: ['builds'],
        summary: 'Server-sent events: `log` (a line) and `state` (the build) until the build ends',
        params,
        querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }) }),
      },
    },
    async (request, reply) => {
      const viewer = caller(request);
      let build = await services.builds.get(viewer, request.params.buildId);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      let cursor = request.query.after;
      let lastState = '';
      let busy = false;
      let closed = false;
      const send = (event: string, data: unknown) =>
        out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const finish = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        unsubscribe();
        out.end();
      };
      const pump = async () => {
        if (busy || closed) return;
        busy = true;
        try {
          build = await services.builds.get(viewer, build.id);
          for (;;) {
            const page = await services.builds.logs(viewer, build.id, cursor, 1000);
            for (const line of page.lines) send('log', line);
            cursor = page.nextSeq;
            if (page.lines.length < 1000) break;
          }
          const stamp = `${build.state}:${JSON.stringify(build.phases)}`;
          if (stamp !== lastState) send('state', build);
          lastState = stamp;
          if (isFinalState(build.state)) finish();
        } catch (error) {
          request.log.error({ err: error }, 'live build view failed');
          finish();
        } finally {
          busy = false;
        }
      };
      const unsubscribe = services.events.subscribe((event) => {
        if (
          event.type === 'events.resynced' ||
          ((event.type === 'build.log' || event.type === 'build.updated') &&
            event.buildId === build.id)
        )
          void pump();
      });
      const timer = setInterval(() => void pump(), LIVE_POLL_MS);
      request.raw.on('close', finish);
      await pump();
    },
  );
}
