import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import type { ProductView } from '../../src/domain/publishing/catalog-service.js';
import type {
  LoadFormProblem,
  LoadFormSubmission,
  Subscription,
} from '../../src/domain/publishing/publishing-types.js';
import { renderLoadForm } from '../../src/publishing/load-form/load-form-writer.js';
import {
  apiErrorOf,
  startHarness,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { fillForm, validRow } from '../publishing/load-form/load-form-fixtures.js';

describe('publishing over HTTP', () => {
  let harness: Harness;
  let seller: TestAccount;
  let buyer: TestAccount;
  let workbook: Buffer;

  /** Records a package group whose builds all succeeded and were scanned, as the pipeline would. */
  async function successfulGroup(accountId: string, name: string, osVersions: string[]) {
    const store = harness.server.store;
    const id = `pg-${name}`;
    const now = new Date().toISOString();
    await store.packageGroups.insertReservingName({
      id,
      accountId,
      name,
      platform: 'linux',
      osVersions,
      packages: [],
      createdAt: now,
      deletedAt: null,
    });
    for (const os of osVersions) {
      await store.builds.insert({
        id: `build-${name}-${os}`,
        accountId,
        packageGroupId: id,
        osVersion: os,
        state: 'Successful',
        imageId: `img-${name}-${os}`,
        baseImageId: null,
        baseDigest: null,
        scanReportDigest: `sha256:${'b'.repeat(64)}`,
        submittedAt: now,
        startedAt: now,
        finishedAt: now,
        phases: {},
        findings: [],
        internalError: null,
        attempts: 1,
      });
    }
  }

  /** POSTs a workbook as the body. */
  async function upload(client: TestAccount | undefined, route: string, data: Buffer) {
    const response = await fetch(new URL(route, harness.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        ...(client === undefined ? {} : { authorization: `Bearer ${client.token}` }),
      },
      body: data,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    harness = await startHarness({ workers: 0, holidays: [] });
    seller = await harness.createAccount('Acme Software', ['seller']);
    buyer = await harness.createAccount('Buyer Inc', ['buyer']);
    await successfulGroup(seller.accountId, 'acme-web-2.1', ['debian-12', 'debian-13']);
    const form = await renderLoadForm({
      packageGroupNames: ['acme-web-2.1'],
      osVersions: ['debian-12'],
      generatedAt: new Date(),
    });
    workbook = await fillForm(form, [validRow({ testAccountIds: buyer.accountId })]);
  });
  afterAll(async () => harness?.stop());

  it('serves the load form as an attachment with the seller’s Successful groups', async () => {
    const response = await fetch(new URL('/v1/load-form', harness.url), {
      headers: { authorization: `Bearer ${seller.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=.*\.xlsx/);
    const data = Buffer.from(await response.arrayBuffer());
    expect(data.subarray(0, 2).toString()).toBe('PK');
    expect(await apiErrorOf(buyer.client.download('/v1/load-form'))).toEqual({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    });
  });

  it('lists the publishing routes in /openapi.json', async () => {
    const doc = await new ApiClient(harness.url, undefined).request<{
      paths: Record<string, unknown>;
    }>('GET', '/openapi.json');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/load-form',
        '/v1/load-form-submissions',
        '/v1/load-form-submissions/{submissionId}',
        '/v1/load-form-submissions/{submissionId}/answer',
        '/v1/load-form-submissions/{submissionId}/corrected-form',
        '/v1/review/submissions',
        '/v1/review/submissions/{submissionId}/publish',
        '/v1/products',
        '/v1/products/{productId}',
        '/v1/seller/products',
        '/v1/fulfillment-options/{optionId}/make-public',
        '/v1/products/{productId}/subscriptions',
        '/v1/subscriptions',
      ]),
    );
  });

  it('refuses an invalid workbook with every problem in the body', async () => {
    const bad = await fillForm(
      await renderLoadForm({
        packageGroupNames: [],
        osVersions: [],
        generatedAt: new Date(),
      }),
      [validRow({ packageGroupName: 'unknown-group', testAccountIds: '', visibility: 'public' })],
    );
    const answer = await upload(
      seller,
      '/v1/load-form-submissions?fileName=form.xlsx&description=first',
      bad,
    );
    expect(answer.status).toBe(400);
    expect(answer.body['code']).toBe('LOAD_FORM_INVALID');
    expect(answer.body['message']).toMatch(/no package group named unknown-group/);
    const { problems } = answer.body['details'] as { problems: LoadFormProblem[] };
    expect(problems).toContainEqual(
      expect.objectContaining({ sheet: 'Product', row: 3, column: 'Package group name' }),
    );

    const garbage = await upload(
      seller,
      '/v1/load-form-submissions?fileName=form.xlsx&description=first',
      Buffer.from('not a workbook'),
    );
    expect(garbage.status).toBe(400);
    expect(garbage.body['code']).toBe('LOAD_FORM_INVALID');

    const noDescription = await upload(
      seller,
      '/v1/load-form-submissions?fileName=form.xlsx&description=',
      workbook,
    );
    expect(noDescription.body['code']).toBe('INVALID_SUBMISSION_DESCRIPTION');
    expect(
      (await upload(buyer, '/v1/load-form-submissions?fileName=f.xlsx&description=d', workbook))
        .status,
    ).toBe(403);
  });

  it('submits, reviews, publishes, lists and subscribes', async () => {
    const submitted = await upload(
      seller,
      '/v1/load-form-submissions?fileName=form.xlsx&description=Acme%20Web%202.1',
      workbook,
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const submission = submitted.body as unknown as LoadFormSubmission;
    expect(submission).toMatchObject({ state: 'Submitted', description: 'Acme Web 2.1' });
    expect(submission.targetDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const id = submission.id;

    const mine = await seller.client.request<{ submissions: LoadFormSubmission[] }>(
      'GET',
      '/v1/load-form-submissions',
    );
    expect(mine.submissions.map((s) => s.id)).toContain(id);
    expect(
      await apiErrorOf(buyer.client.request('GET', `/v1/load-form-submissions/${id}`)),
    ).toEqual({ status: 403, code: 'FORBIDDEN_ROLE' });
    const other = await harness.createAccount('Other Seller', ['seller']);
    expect(
      await apiErrorOf(other.client.request('GET', `/v1/load-form-submissions/${id}`)),
    ).toEqual({ status: 404, code: 'SUBMISSION_NOT_FOUND' });

    // Operators only.
    expect(
      await apiErrorOf(seller.client.request('GET', '/v1/review/submissions?state=Submitted')),
    ).toEqual({ status: 403, code: 'FORBIDDEN_ROLE' });
    expect(
      await apiErrorOf(seller.client.request('POST', `/v1/review/submissions/${id}/start`, {})),
    ).toEqual({ status: 403, code: 'FORBIDDEN_ROLE' });
    const queue = await harness.operator.request<{ submissions: LoadFormSubmission[] }>(
      'GET',
      '/v1/review/submissions?state=Submitted',
    );
    expect(queue.submissions.map((s) => s.id)).toEqual([id]);

    const review = (action: string, body: object = {}) =>
      harness.operator.request<LoadFormSubmission>(
        'POST',
        `/v1/review/submissions/${id}/${action}`,
        body,
      );
    expect((await review('start')).state).toBe('UnderReview');
    expect(await apiErrorOf(review('start'))).toEqual({
      status: 409,
      code: 'SUBMISSION_STATE_CONFLICT',
    });
    expect(await apiErrorOf(review('clarify'))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect((await review('clarify', { message: 'Which ports?' })).state).toBe('NeedsClarification');
    const answered = await seller.client.request<LoadFormSubmission>(
      'POST',
      `/v1/load-form-submissions/${id}/answer`,
      { message: 'Port 8080.' },
    );
    expect(answered.state).toBe('UnderReview');
    const corrected = await upload(
      seller,
      `/v1/load-form-submissions/${id}/corrected-form?fileName=form-v2.xlsx`,
      workbook,
    );
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body).toMatchObject({ state: 'UnderReview', fileName: 'form-v2.xlsx' });
    const published = await review('publish', { message: 'Welcome!' });
    expect(published.state).toBe('Published');
    expect(published.conversation.map((m) => m.kind)).toEqual([
      'note',
      'question',
      'answer',
      'corrected-form',
      'published',
    ]);
    expect(await apiErrorOf(review('reject', { message: 'too late' }))).toEqual({
      status: 409,
      code: 'SUBMISSION_STATE_CONFLICT',
    });

    // The option is limited to the buyer (a test account): others do not see it.
    const { products: forBuyer } = await buyer.client.request<{ products: ProductView[] }>(
      'GET',
      '/v1/products?q=web&category=Application%20Servers&deliveryMethod=private-image-build&os=debian-13',
    );
    expect(forBuyer.map((p) => p.title)).toEqual(['Acme Web Server']);
    const product = forBuyer[0]!;
    const option = product.versions[0]!.fulfillmentOptions[0]!;
    expect(option).toMatchObject({
      packageGroupName: 'acme-web-2.1',
      osVersions: ['debian-12', 'debian-13'],
      visibility: 'limited',
    });
    const { products: forOther } = await other.client.request<{ products: ProductView[] }>(
      'GET',
      '/v1/products',
    );
    expect(forOther).toEqual([]);
    expect(await apiErrorOf(other.client.request('GET', `/v1/products/${product.id}`))).toEqual({
      status: 404,
      code: 'PRODUCT_NOT_FOUND',
    });
    expect((await buyer.client.request<ProductView>('GET', `/v1/products/${product.id}`)).id).toBe(
      product.id,
    );
    const own = await seller.client.request<{ products: ProductView[] }>(
      'GET',
      '/v1/seller/products',
    );
    expect(own.products.map((p) => p.id)).toEqual([product.id]);
    expect(await apiErrorOf(buyer.client.request('GET', '/v1/seller/products'))).toEqual({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    });

    // Make public: only the owner; then everyone sees it.
    expect(
      await apiErrorOf(
        other.client.request('POST', `/v1/fulfillment-options/${option.id}/make-public`),
      ),
    ).toEqual({ status: 404, code: 'FULFILLMENT_OPTION_NOT_FOUND' });
    const madePublic = await seller.client.request<{ visibility: string }>(
      'POST',
      `/v1/fulfillment-options/${option.id}/make-public`,
    );
    expect(madePublic.visibility).toBe('public');
    expect(
      (await other.client.request<{ products: ProductView[] }>('GET', '/v1/products')).products,
    ).toHaveLength(1);

    // Subscriptions.
    const route = `/v1/products/${product.id}/subscriptions`;
    expect(await apiErrorOf(buyer.client.request('POST', route, { acceptTerms: false }))).toEqual({
      status: 400,
      code: 'TERMS_NOT_ACCEPTED',
    });
    expect(await apiErrorOf(buyer.client.request('POST', route, {}))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const subscription = await buyer.client.request<Subscription>('POST', route, {
      acceptTerms: true,
    });
    expect(subscription).toMatchObject({ productId: product.id, eulaUrl: product.eulaUrl });
    expect(await buyer.client.request<Subscription>('POST', route, { acceptTerms: true })).toEqual(
      subscription,
    );
    expect(
      await buyer.client.request<{ subscriptions: Subscription[] }>('GET', '/v1/subscriptions'),
    ).toEqual({ subscriptions: [subscription] });
    expect(
      await apiErrorOf(
        buyer.client.request('POST', '/v1/products/prod-missing/subscriptions', {
          acceptTerms: true,
        }),
      ),
    ).toEqual({ status: 404, code: 'PRODUCT_NOT_FOUND' });
  });

  it('answers 404 for unknown submissions in review', async () => {
    expect(
      await apiErrorOf(harness.operator.request('POST', '/v1/review/submissions/lfs-x/start', {})),
    ).toEqual({ status: 404, code: 'SUBMISSION_NOT_FOUND' });
  });
});
