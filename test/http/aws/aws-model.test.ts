import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { MODEL_ERROR_STATUS } from '../../../src/http/aws/aws-errors.js';
import {
  AWS_JSON_CONTENT_TYPE,
  AWS_SIGNING_NAME,
  AWS_TARGET_PREFIX,
} from '../../../src/http/aws/aws-json-protocol.js';
import { repoRoot } from '../../support/paths.js';

// The AWS API model lives beside the repository, in the shared reference folder.
const MODEL = path.join(
  repoRoot,
  '..',
  'shared',
  'reference',
  'marketplaceimagebuild-2017-12-15.normal.json',
);

interface Model {
  metadata: { signingName: string; targetPrefix: string; jsonVersion: string; protocol: string };
  shapes: Record<
    string,
    { exception?: boolean; fault?: boolean; error?: { httpStatusCode?: number } }
  >;
}

describe.skipIf(!existsSync(MODEL))('AWS protocol constants against the API model', () => {
  const model = JSON.parse(readFileSync(MODEL, 'utf8')) as Model;

  it('signs, targets and encodes as the model says', () => {
    expect(model.metadata.protocol).toBe('json');
    expect(AWS_SIGNING_NAME).toBe(model.metadata.signingName);
    expect(AWS_TARGET_PREFIX).toBe(model.metadata.targetPrefix);
    expect(AWS_JSON_CONTENT_TYPE).toBe(`application/x-amz-json-${model.metadata.jsonVersion}`);
  });

  it("lists the model's error shapes with their statuses", () => {
    const expected = Object.fromEntries(
      Object.entries(model.shapes)
        .filter(([, shape]) => shape.exception === true)
        .map(([name, shape]) => [
          name,
          shape.error?.httpStatusCode ?? (shape.fault === true ? 500 : 400),
        ]),
    );
    expect(MODEL_ERROR_STATUS).toEqual(expected);
  });
});
