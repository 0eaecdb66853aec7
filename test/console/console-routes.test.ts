import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { consoleRoutes } from '../../src/http/console/console-routes.js';
import { registerErrorHandling } from '../../src/http/error-handler.js';
import type { TypedApp } from '../../src/http/typed-app.js';
import { tempDir } from '../support/paths.js';

/** Only the console routes, on a bare Fastify: no build, no store. */
async function consoleApp(dir: string): Promise<TypedApp> {
  const app = Fastify() as unknown as TypedApp;
  registerErrorHandling(app);
  await consoleRoutes(app, dir);
  return app;
}

describe('console routes', () => {
  let built: TypedApp;
  let missing: TypedApp;

  beforeAll(async () => {
    const dir = tempDir('console');
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    built = await consoleApp(dir);
    missing = await consoleApp(path.join(tempDir('console'), 'absent'));
  });
  afterAll(async () => {
    await built?.close();
    await missing?.close();
  });

  it('redirects / and /console to /console/', async () => {
    for (const url of ['/', '/console']) {
      const reply = await built.inject({ url });
      expect(reply.statusCode).toBe(302);
      expect(reply.headers.location).toBe('/console/');
    }
  });

  it('answers the console and its client-side routes with index.html, never cached', async () => {
    for (const url of ['/console/', '/console/seller/scan-status', '/console/operator/accounts']) {
      const reply = await built.inject({ url });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
      expect(reply.body).toContain('<title>console</title>');
      expect(reply.headers['cache-control']).toBe('no-cache');
      expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('serves fingerprinted assets as immutable, and a missing asset as 404', async () => {
    const asset = await built.inject({ url: '/console/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');

    const absent = await built.inject({ url: '/console/assets/gone.js' });
    expect(absent.statusCode).toBe(404);
    expect(absent.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves nothing outside the console folder', async () => {
    for (const url of ['/console/../package.json', '/console/%2e%2e/%2e%2e/etc/passwd']) {
      const reply = await built.inject({ url });
      expect(reply.body, url).not.toContain('root:');
      expect(reply.body, url).not.toContain('"name"');
    }
  });

  it('says how to build the console when the build is missing', async () => {
    const reply = await missing.inject({ url: '/console/seller/scan-status' });
    expect(reply.statusCode).toBe(503);
    const body = reply.json<{ code: string; message: string }>();
    expect(body.code).toBe('CONSOLE_NOT_BUILT');
    expect(body.message).toContain('npm run build:web');
  });
});
