import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';

import { DomainError } from '../../errors/domain-error.js';
import type { TypedApp } from '../typed-app.js';

/** Where the web console is served from; the browser app's router uses the same base. */
export const CONSOLE_PATH = '/console/';

/** `dist/console` of this checkout: the same from `src/http/console` and `dist/http/console`. */
export function defaultConsoleDir(): string {
  return path.resolve(fileURLToPath(import.meta.url), '../../../../dist/console');
}

// Vite fingerprints everything under assets/, so those files never change.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * Serves the built console (`npm run build:web`) under /console/, answering
 * client-side routes with index.html, and redirects `/` there.
 */
export async function consoleRoutes(app: TypedApp, dir: string): Promise<void> {
  // Cache headers are set per file below: assets are fingerprinted, index.html is not.
  await app.register(fastifyStatic, { root: dir, serve: false, cacheControl: false });

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(CONSOLE_PATH));
  app.get('/console', { schema: { hide: true } }, async (_request, reply) =>
    reply.redirect(CONSOLE_PATH),
  );
  app.get(
    '/console/*',
    { schema: { hide: true, params: Type.Object({ '*': Type.String() }) } },
    async (request, reply) => {
      if (!(await isFile(path.join(dir, 'index.html')))) {
        throw new DomainError(
          'CONSOLE_NOT_BUILT',
          `the web console is not built (no ${path.join(dir, 'index.html')}); run \`npm run build:web\` and reload`,
        );
      }
      reply.headers(SECURITY_HEADERS);
      const file = safeRelativePath(request.params['*']);
      if (file !== undefined && (await isFile(path.join(dir, file)))) {
        reply.header('cache-control', file.startsWith('assets/') ? IMMUTABLE : 'no-cache');
        return reply.sendFile(file);
      }
      // A missing asset is a 404; anything else is a route of the browser app.
      if (file === undefined || path.posix.extname(file) !== '') return reply.callNotFound();
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    },
  );
}

/** The path relative to the console folder, or undefined if it would leave it. */
function safeRelativePath(requested: string): string | undefined {
  if (requested.includes('\0')) return undefined;
  const normal = path.posix.normalize(requested === '' ? 'index.html' : requested);
  if (normal.startsWith('..') || path.posix.isAbsolute(normal)) return undefined;
  return normal;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
