/**
 * VEX documents: a supplier's or an operator's statement that a vulnerability does (not) affect a
 * product. Two formats are read, JSON only: OpenVEX (openvex.dev, OPENVEX-SPEC.md v0.2.0) and
 * CycloneDX VEX (cyclonedx.org, `vulnerabilities[].analysis`, spec 1.4 to 1.6). Both become
 * {@link VexStatement}s keyed by package purl, the only identity the gate can match a finding on.
 */
import {
  type JsonObject,
  type JsonPlace,
  childPlace,
  invalid,
  isJsonObject,
  readArray,
  readEnum,
  readObject,
  readOptionalString,
  readString,
  readStringArray,
} from './json-field-reader.js';
import { parsePurl } from './purl-match.js';

/** OpenVEX's status words; CycloneDX analysis states are mapped onto them. */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** One statement about one vulnerability in some packages, from either format. */
export interface VexStatement {
  /** The vulnerability's id as the document names it, e.g. `CVE-2023-5363`. */
  readonly vulnerability: string;
  /** Other ids of the same vulnerability the document gives (OpenVEX aliases, CycloneDX references). */
  readonly aliases: readonly string[];
  /** Purls of the packages the statement is about (products and their subcomponents). */
  readonly products: readonly string[];
  readonly status: VexStatus;
  /** The justification and impact text, for the report; set for most not_affected statements. */
  readonly justification?: string;
  /** When the statement was made (ISO 8601); the newest statement about a package wins. */
  readonly timestamp?: string;
  /** The document it came from, for messages. */
  readonly origin: string;
}

const VEX_STATUSES: readonly VexStatus[] = [
  'not_affected',
  'affected',
  'fixed',
  'under_investigation',
];

/** OpenVEX §Status Justifications. */
const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

/** CycloneDX `impactAnalysisState`. */
const CYCLONEDX_STATES = [
  'resolved',
  'resolved_with_pedigree',
  'exploitable',
  'in_triage',
  'false_positive',
  'not_affected',
] as const;
type CycloneDxState = (typeof CYCLONEDX_STATES)[number];

/**
 * CycloneDX states in OpenVEX words. A false positive is not affected by definition; resolved
 * means fixed; exploitable means affected; in_triage is still under investigation.
 */
const FROM_CYCLONEDX_STATE: Readonly<Record<CycloneDxState, VexStatus>> = {
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

/** CycloneDX `impactAnalysisJustification`. */
const CYCLONEDX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;

function readTimestamp(value: unknown, place: JsonPlace): string | undefined {
  const text = readOptionalString(value, place);
  if (text !== undefined && Number.isNaN(Date.parse(text))) {
    invalid(place, `expected an ISO 8601 timestamp, got ${JSON.stringify(text)}`);
  }
  return text;
}

function checkPurl(purl: string, place: JsonPlace): string {
  if (parsePurl(purl) === undefined) invalid(place, `invalid purl ${JSON.stringify(purl)}`);
  return purl;
}

function joinDetail(...parts: (string | undefined)[]): string | undefined {
  const text = parts.filter((part) => part !== undefined).join(': ');
  return text === '' ? undefined : text;
}

/**
 * The purl of an OpenVEX component (§Component): its `identifiers.purl`, else its `@id` when that
 * is a purl. Other identifiers (image digests, CPEs, IRIs) name no package and yield nothing.
 */
function openVexComponentPurl(value: unknown, place: JsonPlace): string | undefined {
  // OpenVEX before v0.2.0 wrote products as plain identifier strings.
  if (typeof value === 'string') {
    return value.startsWith('pkg:') ? checkPurl(value, place) : undefined;
  }
  const component = readObject(value, place);
  const identifiersPlace = childPlace(place, 'identifiers');
  const identifiers =
    component.identifiers === undefined ? {} : readObject(component.identifiers, identifiersPlace);
  const purlPlace = childPlace(identifiersPlace, 'purl');
  const purl = readOptionalString(identifiers.purl, purlPlace);
  if (purl !== undefined) return checkPurl(purl, purlPlace);
  const id = readOptionalString(component['@id'], childPlace(place, '@id'));
  return id?.startsWith('pkg:') ? checkPurl(id, childPlace(place, '@id')) : undefined;
}

/** Purls of a statement's products and their subcomponents (OpenVEX §Product). */
function openVexProducts(value: unknown, place: JsonPlace): string[] {
  const purls: string[] = [];
  readArray(value, place).forEach((product, index) => {
    const productPlace = childPlace(place, index);
    const purl = openVexComponentPurl(product, productPlace);
    if (purl !== undefined) purls.push(purl);
    if (isJsonObject(product) && product.subcomponents !== undefined) {
      const subPlace = childPlace(productPlace, 'subcomponents');
      readArray(product.subcomponents, subPlace).forEach((sub, subIndex) => {
        const subPurl = openVexComponentPurl(sub, childPlace(subPlace, subIndex));
        if (subPurl !== undefined) purls.push(subPurl);
      });
    }
  });
  return [...new Set(purls)];
}

function openVexVulnerability(
  value: unknown,
  place: JsonPlace,
): { vulnerability: string; aliases: string[] } {
  // OpenVEX before v0.2.0 wrote the vulnerability as a bare id.
  if (typeof value === 'string') return { vulnerability: readString(value, place), aliases: [] };
  const object = readObject(value, place);
  const name = readOptionalString(object.name, childPlace(place, 'name'));
  const id = readOptionalString(object['@id'], childPlace(place, '@id'));
  const vulnerability = name ?? id;
  if (vulnerability === undefined) invalid(place, 'needs a name or an @id');
  const aliases =
    object.aliases === undefined
      ? []
      : readStringArray(object.aliases, childPlace(place, 'aliases'));
  return { vulnerability, aliases };
}

function parseOpenVex(document: JsonObject, origin: string): VexStatement[] {
  const root: JsonPlace = { origin, field: undefined };
  // Statements without their own timestamp inherit the document's (OpenVEX §Statement).
  const documentTime = readTimestamp(document.timestamp, childPlace(root, 'timestamp'));
  const statementsPlace = childPlace(root, 'statements');
  const statements: VexStatement[] = [];
  readArray(document.statements, statementsPlace).forEach((item, index) => {
    const place = childPlace(statementsPlace, index);
    const statement = readObject(item, place);
    const { vulnerability, aliases } = openVexVulnerability(
      statement.vulnerability,
      childPlace(place, 'vulnerability'),
    );
    const status = readEnum(statement.status, VEX_STATUSES, childPlace(place, 'status'));
    const justification =
      statement.justification === undefined
        ? undefined
        : readEnum(
            statement.justification,
            OPENVEX_JUSTIFICATIONS,
            childPlace(place, 'justification'),
          );
    const impact = readOptionalString(
      statement.impact_statement,
      childPlace(place, 'impact_statement'),
    );
    // OpenVEX §Status: a not_affected statement MUST carry a justification or an impact statement.
    if (status === 'not_affected' && justification === undefined && impact === undefined) {
      invalid(place, 'a not_affected statement needs a justification or an impact_statement');
    }
    const timestamp =
      readTimestamp(statement.timestamp, childPlace(place, 'timestamp')) ?? documentTime;
    const products = openVexProducts(statement.products, childPlace(place, 'products'));
    // A statement about products no purl names (an image by digest alone) matches no package.
    if (products.length === 0) return;
    const detail = joinDetail(justification, impact);
    statements.push({
      vulnerability,
      aliases,
      products,
      status,
      ...(detail === undefined ? {} : { justification: detail }),
      ...(timestamp === undefined ? {} : { timestamp }),
      origin,
    });
  });
  return statements;
}

/** Every bom-ref of the BOM's components (nested ones too) with its purl, or null when it has none. */
function cycloneDxRefs(document: JsonObject, root: JsonPlace): Map<string, string | null> {
  const refs = new Map<string, string | null>();
  const visit = (value: unknown, place: JsonPlace): void => {
    const component = readObject(value, place);
    const ref = readOptionalString(component['bom-ref'], childPlace(place, 'bom-ref'));
    const purl = readOptionalString(component.purl, childPlace(place, 'purl'));
    if (ref !== undefined) {
      refs.set(ref, purl === undefined ? null : checkPurl(purl, childPlace(place, 'purl')));
    }
    visitAll(component.components, childPlace(place, 'components'));
  };
  const visitAll = (value: unknown, place: JsonPlace): void => {
    if (value === undefined) return;
    readArray(value, place).forEach((item, index) => visit(item, childPlace(place, index)));
  };
  if (document.metadata !== undefined) {
    const metadata = readObject(document.metadata, childPlace(root, 'metadata'));
    if (metadata.component !== undefined) {
      visit(metadata.component, childPlace(childPlace(root, 'metadata'), 'component'));
    }
  }
  visitAll(document.components, childPlace(root, 'components'));
  return refs;
}

/**
 * The purl `affects[].ref` points at: a bom-ref of this BOM's components, or a purl written
 * directly. A BOM-Link (`urn:cdx:...`) into another BOM cannot be resolved here and yields
 * nothing; a bom-ref this BOM lacks is an error.
 */
function cycloneDxAffected(
  ref: string,
  refs: ReadonlyMap<string, string | null>,
  place: JsonPlace,
): string | undefined {
  const resolved = refs.get(ref);
  if (resolved !== undefined) return resolved ?? undefined;
  if (ref.startsWith('pkg:')) return checkPurl(ref, place);
  if (ref.startsWith('urn:cdx:')) return undefined;
  return invalid(place, `no component has bom-ref ${JSON.stringify(ref)}`);
}

function parseCycloneDx(document: JsonObject, origin: string): VexStatement[] {
  const root: JsonPlace = { origin, field: undefined };
  const refs = cycloneDxRefs(document, root);
  const metadata = isJsonObject(document.metadata) ? document.metadata : {};
  const documentTime = readTimestamp(metadata.timestamp, {
    origin,
    field: 'metadata.timestamp',
  });
  if (document.vulnerabilities === undefined) return [];
  const vulnerabilitiesPlace = childPlace(root, 'vulnerabilities');
  const statements: VexStatement[] = [];
  readArray(document.vulnerabilities, vulnerabilitiesPlace).forEach((item, index) => {
    const place = childPlace(vulnerabilitiesPlace, index);
    const vulnerability = readObject(item, place);
    const id = readString(vulnerability.id, childPlace(place, 'id'));
    const aliases: string[] = [];
    if (vulnerability.references !== undefined) {
      const referencesPlace = childPlace(place, 'references');
      readArray(vulnerability.references, referencesPlace).forEach((reference, refIndex) => {
        const referencePlace = childPlace(referencesPlace, refIndex);
        const object = readObject(reference, referencePlace);
        aliases.push(readString(object.id, childPlace(referencePlace, 'id')));
      });
    }

    const analysisPlace = childPlace(place, 'analysis');
    const analysis =
      vulnerability.analysis === undefined ? {} : readObject(vulnerability.analysis, analysisPlace);
    // A vulnerability listed with no analysis state is a plain report that it affects the refs.
    const state =
      analysis.state === undefined
        ? undefined
        : readEnum(analysis.state, CYCLONEDX_STATES, childPlace(analysisPlace, 'state'));
    const status: VexStatus = state === undefined ? 'affected' : FROM_CYCLONEDX_STATE[state];
    const justification =
      analysis.justification === undefined
        ? undefined
        : readEnum(
            analysis.justification,
            CYCLONEDX_JUSTIFICATIONS,
            childPlace(analysisPlace, 'justification'),
          );
    const detail = readOptionalString(analysis.detail, childPlace(analysisPlace, 'detail'));
    const timestamp =
      readTimestamp(analysis.lastUpdated, childPlace(analysisPlace, 'lastUpdated')) ??
      readTimestamp(analysis.firstIssued, childPlace(analysisPlace, 'firstIssued')) ??
      readTimestamp(vulnerability.updated, childPlace(place, 'updated')) ??
      documentTime;

    const products: string[] = [];
    const affectsPlace = childPlace(place, 'affects');
    readArray(vulnerability.affects ?? [], affectsPlace).forEach((affect, affectIndex) => {
      const affectPlace = childPlace(affectsPlace, affectIndex);
      const object = readObject(affect, affectPlace);
      const refPlace = childPlace(affectPlace, 'ref');
      const purl = cycloneDxAffected(readString(object.ref, refPlace), refs, refPlace);
      if (purl !== undefined) products.push(purl);
    });
    if (products.length === 0) return;

    const text = joinDetail(
      justification ?? (state === 'false_positive' ? 'false_positive' : undefined),
      detail,
    );
    statements.push({
      vulnerability: id,
      aliases: [...new Set(aliases)].filter((alias) => alias !== id),
      products: [...new Set(products)],
      status,
      ...(text === undefined ? {} : { justification: text }),
      ...(timestamp === undefined ? {} : { timestamp }),
      origin,
    });
  });
  return statements;
}

/**
 * Reads an OpenVEX or CycloneDX VEX document (already JSON-parsed) into statements; throws
 * GateConfigError naming `origin` and the field for anything malformed. Fields Goldsmith does
 * not use are allowed, as both formats are extensible.
 */
export function parseVexDocument(json: unknown, origin: string): VexStatement[] {
  const root: JsonPlace = { origin, field: undefined };
  const document = readObject(json, root);
  const context = document['@context'];
  if (typeof context === 'string' && context.startsWith('https://openvex.dev/ns')) {
    return parseOpenVex(document, origin);
  }
  if (document.bomFormat === 'CycloneDX') return parseCycloneDx(document, origin);
  return invalid(
    root,
    'not a VEX document: expected OpenVEX (@context https://openvex.dev/ns/...) or CycloneDX (bomFormat "CycloneDX")',
  );
}
