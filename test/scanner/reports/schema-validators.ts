/**
 * Validators for the official CycloneDX 1.6, SPDX 2.3 and SARIF 2.1.0 JSON schemas, kept in
 * ../shared/schemas (see its README). Each returns the schema errors, none when valid.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from '../../support/paths.js';

/** Schema errors as `path message` lines; empty when the document is valid. */
export type SchemaValidator = (document: unknown) => string[];

const SCHEMAS = path.join(repoRoot, '..', 'shared', 'schemas');

function load(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;
}

/** Draft-07 Ajv with the formats the schemas use; the official schemas are not Ajv-strict. */
function draft07(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  // ajv-formats lacks the draft-07 IRI and IDN formats; accept any string without whitespace.
  ajv.addFormat('iri-reference', /^\S*$/);
  ajv.addFormat('idn-email', /^\S+@\S+$/);
  return ajv;
}

function validator(ajv: Ajv, schema: Record<string, unknown>): SchemaValidator {
  const validate = ajv.compile(schema);
  return (document) =>
    validate(document)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** The CycloneDX 1.6 schema (draft-07) with the SPDX and JSF schemas it refers to. */
export function cycloneDxValidator(): SchemaValidator {
  const ajv = draft07();
  ajv.addSchema(load('cyclonedx-spdx.schema.json'));
  ajv.addSchema(load('cyclonedx-jsf-0.82.schema.json'));
  return validator(ajv, load('cyclonedx-bom-1.6.schema.json'));
}

/** The SPDX 2.3 schema (draft-07). */
export function spdxValidator(): SchemaValidator {
  return validator(draft07(), load('spdx-2.3.schema.json'));
}

/**
 * The SARIF 2.1.0 schema. It is draft-04, which Ajv 8 does not load; the keywords it uses mean
 * the same in draft-07 once its draft-04 `id` is spelled `$id`.
 */
export function sarifValidator(): SchemaValidator {
  const schema = load('sarif-2.1.0.schema.json');
  const id = schema['id'];
  delete schema['$schema'];
  delete schema['id'];
  return validator(draft07(), { ...schema, $id: id });
}
