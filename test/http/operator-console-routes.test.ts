import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiErrorOf,
  startHarness,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { osvLinesNaming, VULNDATA_DIR } from '../support/vulndata.js';

interface VulnerabilityDatabaseStatus {
  records: number;
  generation: number;
  ecosystems: { ecosystem: string; records: number }[];
  sources: { source: string; records: number; lastImportAt: string | null }[];
}

const BOOKWORM = path.join(VULNDATA_DIR, 'debian-bookworm-security-changelog.osv.jsonl.xz');

describe('operator APIs the console needs (no build workers)', () => {
  let harness: Harness;
  let seller: TestAccount;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    seller = await harness.createAccount('Acme', ['seller']);
  });
  afterAll(async () => harness?.stop());

  /** Posts a file as the raw body, as the console's upload does. */
  async function upload(token: string, route: string, body: Buffer): Promise<Response> {
    return fetch(`${harness.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body,
    });
  }

  it('imports an uploaded OSV file and reports the database status', async () => {
    const before = await harness.operator.request<VulnerabilityDatabaseStatus>(
      'GET',
      '/v1/vulnerability-database',
    );
    const lines = osvLinesNaming(BOOKWORM, ['7zip']);
    expect(lines.length).toBeGreaterThan(0);
    const file = await writeTempFile('7zip.jsonl', `${lines.join('\n')}\n`);
    const imported = await upload(
      harness.server.operatorToken!,
      '/v1/vulnerability-database/imports?fileName=7zip.jsonl&source=bookworm-changelog',
      await readFile(file),
    );
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({
      source: 'bookworm-changelog',
      read: lines.length,
      imported: lines.length,
      invalid: 0,
    });

    const after = await harness.operator.request<VulnerabilityDatabaseStatus>(
      'GET',
      '/v1/vulnerability-database',
    );
    expect(after.records).toBe(before.records + lines.length);
    expect(after.generation).toBeGreaterThan(before.generation);
    expect(after.ecosystems).toContainEqual(
      expect.objectContaining({ ecosystem: 'Debian:12', records: lines.length }),
    );
    expect(after.sources).toContainEqual(
      expect.objectContaining({ source: 'bookworm-changelog', records: lines.length }),
    );

    // The same file again: nothing newer, so every record is skipped.
    const again = await upload(
      harness.server.operatorToken!,
      '/v1/vulnerability-database/imports?fileName=7zip.jsonl&source=bookworm-changelog',
      await readFile(file),
    );
    expect(await again.json()).toMatchObject({ imported: 0, skipped: lines.length });
  });

  it('refuses files that are not OSV sources, and sellers', async () => {
    const wrong = await upload(
      harness.server.operatorToken!,
      '/v1/vulnerability-database/imports?fileName=notes.txt',
      Buffer.from('hello'),
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const bySeller = await upload(
      seller.token,
      '/v1/vulnerability-database/imports?fileName=a.json',
      Buffer.from('{}'),
    );
    expect(bySeller.status).toBe(403);
    expect(await apiErrorOf(seller.client.request('GET', '/v1/vulnerability-database'))).toEqual({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    });
  });

  it('lists and revokes API tokens; a revoked token no longer works', async () => {
    const issued = await harness.operator.request<{ tokenId: string; token: string }>(
      'POST',
      `/v1/accounts/${seller.accountId}/tokens`,
      { name: 'ci' },
    );
    const listed = await harness.operator.request<{ tokens: { tokenId: string; name: string }[] }>(
      'GET',
      `/v1/accounts/${seller.accountId}/tokens`,
    );
    expect(listed.tokens.map((t) => t.tokenId)).toContain(issued.tokenId);
    expect(JSON.stringify(listed)).not.toContain(issued.token);

    await harness.operator.request(
      'DELETE',
      `/v1/accounts/${seller.accountId}/tokens/${issued.tokenId}`,
    );
    const refused = await fetch(`${harness.url}/v1/accounts/me`, {
      headers: { authorization: `Bearer ${issued.token}` },
    });
    expect(refused.status).toBe(401);
    expect(
      await apiErrorOf(
        harness.operator.request(
          'DELETE',
          `/v1/accounts/${seller.accountId}/tokens/${issued.tokenId}`,
        ),
      ),
    ).toEqual({ status: 404, code: 'NOT_FOUND' });
    const other = await harness.createAccount('Other', ['seller']);
    expect(
      await apiErrorOf(other.client.request('GET', `/v1/accounts/${seller.accountId}/tokens`)),
    ).toEqual({ status: 403, code: 'FORBIDDEN_ROLE' });
  });

  it('describes the new routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${harness.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/vulnerability-database',
        '/v1/vulnerability-database/imports',
        '/v1/accounts/{accountId}/tokens/{tokenId}',
      ]),
    );
  });

  it('names the owners of Investigating builds (none here)', async () => {
    expect(await harness.operator.request('GET', '/v1/operator/investigations')).toEqual({
      builds: [],
      owners: [],
    });
  });
});
