/**
 * The installation's gate configuration file (JSON). Every field is optional and falls back to
 * {@link DEFAULT_GATE_POLICY}; unknown fields are refused, so a misspelt setting cannot quietly
 * leave the default in force.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { SEVERITY_ORDER } from '../scan/scan-report.js';
import { parseAllowList } from './allow-list.js';
import { GateConfigError } from './gate-config-error.js';
import { DEFAULT_GATE_POLICY, type GatePolicy } from './gate-policy.js';
import {
  type JsonPlace,
  childPlace,
  readArray,
  readBoolean,
  readEnum,
  readObject,
  readString,
  refuseUnknownFields,
} from './json-field-reader.js';
import { type VexStatement, parseVexDocument } from './vex.js';

const CONFIG_FIELDS = ['blockSeverities', 'requireFix', 'policyViolations', 'allowList', 'vex'];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads and parses a JSON file; every failure is a GateConfigError naming the file. */
async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GateConfigError(
      file,
      undefined,
      code === 'ENOENT' ? 'file not found' : messageOf(error),
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new GateConfigError(file, undefined, `not valid JSON: ${messageOf(error)}`);
  }
}

/** Reads VEX documents (OpenVEX or CycloneDX JSON), e.g. those given to the CLI with `--vex`. */
export async function loadVexFiles(paths: readonly string[]): Promise<VexStatement[]> {
  const statements: VexStatement[] = [];
  for (const file of paths) statements.push(...parseVexDocument(await readJsonFile(file), file));
  return statements;
}

/**
 * Reads the gate configuration file: {@link DEFAULT_GATE_POLICY} when `file` is undefined, else
 * the file with defaults for the fields it leaves out. VEX paths are relative to the file's
 * folder. Throws GateConfigError, naming the file and field, for a missing or invalid file.
 */
export async function loadGatePolicy(file: string | undefined): Promise<GatePolicy> {
  if (file === undefined) return DEFAULT_GATE_POLICY;
  const root: JsonPlace = { origin: file, field: undefined };
  const config = readObject(await readJsonFile(file), root);
  refuseUnknownFields(config, CONFIG_FIELDS, root);

  const severitiesPlace = childPlace(root, 'blockSeverities');
  const blockSeverities =
    config.blockSeverities === undefined
      ? DEFAULT_GATE_POLICY.blockSeverities
      : [
          ...new Set(
            readArray(config.blockSeverities, severitiesPlace).map((item, index) =>
              readEnum(item, SEVERITY_ORDER, childPlace(severitiesPlace, index)),
            ),
          ),
        ];
  const requireFix =
    config.requireFix === undefined
      ? DEFAULT_GATE_POLICY.requireFix
      : readBoolean(config.requireFix, childPlace(root, 'requireFix'));
  const policyViolations =
    config.policyViolations === undefined
      ? DEFAULT_GATE_POLICY.policyViolations
      : readEnum(
          config.policyViolations,
          ['block', 'report'],
          childPlace(root, 'policyViolations'),
        );
  const allowList = config.allowList === undefined ? [] : parseAllowList(config.allowList, file);

  const vex: VexStatement[] = [];
  if (config.vex !== undefined) {
    const vexPlace = childPlace(root, 'vex');
    const folder = path.dirname(file);
    const entries = readArray(config.vex, vexPlace);
    for (const [index, item] of entries.entries()) {
      const place = childPlace(vexPlace, index);
      const vexFile = path.resolve(folder, readString(item, place));
      try {
        vex.push(...(await loadVexFiles([vexFile])));
      } catch (error) {
        // The VEX file's own error names it and the field; this adds which setting loaded it.
        if (error instanceof GateConfigError) {
          throw new GateConfigError(file, place.field, error.message);
        }
        throw error;
      }
    }
  }

  return Object.freeze({
    blockSeverities: Object.freeze(blockSeverities),
    requireFix,
    policyViolations,
    allowList: Object.freeze(allowList),
    vex: Object.freeze(vex),
  });
}
