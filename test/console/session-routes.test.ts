import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TypedApp } from '../../src/http/typed-app.js';
import { startHarness, type Harness, type TestAccount } from '../support/goldsmith-harness.js';

interface SessionBody {
  account: { id: string; name: string; roles: string[] };
  csrfToken?: string;
}

/** The `name=value` of a reply's session cookie, and its attributes. */
function sessionCookie(setCookie: string | string[] | undefined): {
  pair: string;
  attributes: string[];
} {
  const header = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (header === undefined) throw new Error('no Set-Cookie header');
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { pair: pair!, attributes };
}

describe('console session routes', () => {
  let harness: Harness;
  let app: TypedApp;
  let operatorToken: string;
  let seller: TestAccount;

  const signIn = async (token: string) => {
    const reply = await app.inject({ method: 'POST', url: '/v1/session', payload: { token } });
    expect(reply.statusCode).toBe(201);
    return { ...sessionCookie(reply.headers['set-cookie']), body: reply.json<SessionBody>() };
  };

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    app = harness.server.app;
    operatorToken = harness.server.operatorToken!;
    seller = await harness.createAccount('Acme Software', ['seller']);
  });
  afterAll(async () => harness?.stop());

  it('signs in with an API token: HttpOnly SameSite=Strict cookie, account and CSRF token', async () => {
    const session = await signIn(seller.token);
    expect(session.body.account).toMatchObject({ id: seller.accountId, roles: ['seller'] });
    expect(session.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(session.pair).toMatch(/^goldsmith_session=[\w-]{20,}$/);
    expect(session.pair).not.toContain(seller.token);
    expect(session.attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']),
    );
  });

  it('refuses a wrong token with UNAUTHENTICATED and sets no cookie', async () => {
    const reply = await app.inject({
      method: 'POST',
      url: '/v1/session',
      payload: { token: 'gs_not_a_token' },
    });
    expect(reply.statusCode).toBe(401);
    expect(reply.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('authenticates API requests by the cookie like a bearer token', async () => {
    const session = await signIn(seller.token);
    const me = await app.inject({ url: '/v1/session', headers: { cookie: session.pair } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(session.body);
    const groups = await app.inject({
      url: '/v1/package-groups',
      headers: { cookie: session.pair },
    });
    expect(groups.statusCode).toBe(200);
    expect(groups.json()).toEqual({ packageGroups: [] });
  });

  it('refuses a cookie request that changes something without the CSRF token, with CSRF_TOKEN_INVALID', async () => {
    const session = await signIn(operatorToken);
    const create = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { cookie: session.pair, ...headers },
        payload: { name: 'Made In Console', roles: ['buyer'] },
      });
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }] as Record<string, string>[]) {
      const refused = await create(headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    }
    const accepted = await create({ 'x-csrf-token': session.body.csrfToken! });
    expect(accepted.statusCode).toBe(201);
  });

  it('leaves bearer-token requests alone: no CSRF token needed, none returned', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { authorization: `Bearer ${operatorToken}` },
      payload: { name: 'Made By Script', roles: ['buyer'] },
    });
    expect(created.statusCode).toBe(201);
    const me = await app.inject({
      url: '/v1/session',
      headers: { authorization: `Bearer ${seller.token}` },
    });
    expect(me.json()).toEqual({ account: expect.objectContaining({ id: seller.accountId }) });
  });

  it('signs out: the cookie stops working at once and is cleared', async () => {
    const session = await signIn(seller.token);
    const headers = { cookie: session.pair, 'x-csrf-token': session.body.csrfToken! };
    const out = await app.inject({ method: 'DELETE', url: '/v1/session', headers });
    expect(out.statusCode).toBe(204);
    expect(sessionCookie(out.headers['set-cookie']).attributes).toContain('Max-Age=0');
    const after = await app.inject({ url: '/v1/session', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('ignores X-Forwarded-Proto unless told to trust the proxy, then marks the cookie Secure', async () => {
    const forwarded = (target: TypedApp) =>
      target.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { token: seller.token },
      });
    const direct = sessionCookie((await forwarded(app)).headers['set-cookie']);
    expect(direct.attributes).not.toContain('Secure');

    const behindBalancer = await startHarness(
      { workers: 0, trustProxy: true, dataDir: harness.dataDir },
      operatorToken,
    );
    try {
      const reply = await forwarded(behindBalancer.server.app);
      expect(reply.statusCode).toBe(201);
      expect(sessionCookie(reply.headers['set-cookie']).attributes).toContain('Secure');
    } finally {
      await behindBalancer.stop();
    }
  });

  it('describes the session routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(Object.keys(doc.paths['/v1/session'] ?? {}).sort()).toEqual(['delete', 'get', 'post']);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/console'))).toEqual([]);
  });
});
