/**
 * The scan report as a CycloneDX 1.6 BOM with vulnerabilities (the VDR form): the image's
 * components from the SBOM writer, then one vulnerability per finding that points at its
 * component. Policy violations are not vulnerabilities (no advisory, no affected component):
 * they, the checks not run and the gate's verdict go into `metadata.properties`.
 */
import { describeLayer } from '../layers/layer-origin.js';
import { inventoryToCycloneDx } from '../sbom/cyclonedx-sbom.js';
import type {
  CycloneDxBom,
  CycloneDxComponent,
  CycloneDxProperty,
} from '../sbom/cyclonedx-sbom.js';
import type { ScanReport, VulnerabilityFinding } from '../scan/scan-report.js';
import type { Severity } from '../severity/severity.js';
import {
  advisoryUrl,
  describeEvidenceLocation,
  describeGateFully,
  describeNotRun,
  describeRemedy,
  describeVulnerability,
  otherIds,
} from './finding-text.js';

/** A source of vulnerability information (CycloneDX `vulnerabilitySource`). */
export interface CycloneDxSource {
  readonly name: string;
  readonly url: string;
}

/** The fields of a CycloneDX 1.6 vulnerability that Goldsmith fills in. */
export interface CycloneDxVulnerability {
  readonly 'bom-ref': string;
  readonly id: string;
  readonly source: CycloneDxSource;
  readonly references?: readonly { readonly id: string; readonly source: CycloneDxSource }[];
  readonly ratings: readonly {
    readonly source?: { readonly name: string };
    readonly score?: number;
    readonly severity: CycloneDxSeverity;
    readonly method: 'CVSSv3' | 'CVSSv31' | 'CVSSv4' | 'other';
    readonly vector?: string;
  }[];
  readonly description?: string;
  readonly detail: string;
  readonly recommendation: string;
  readonly advisories?: readonly { readonly url: string }[];
  readonly updated?: string;
  readonly analysis?: {
    readonly state: 'not_affected';
    readonly justification?: CycloneDxJustification;
    readonly detail?: string;
  };
  readonly affects: readonly {
    readonly ref: string;
    readonly versions: readonly {
      readonly version: string;
      readonly status: 'affected' | 'unaffected';
    }[];
  }[];
  readonly properties: readonly CycloneDxProperty[];
}

/** CycloneDX's severity words (`severity` in the 1.6 schema). */
export type CycloneDxSeverity =
  'critical' | 'high' | 'medium' | 'low' | 'info' | 'none' | 'unknown';

/** A CycloneDX 1.6 BOM with the scan's vulnerabilities and properties. */
export interface CycloneDxReport extends Omit<CycloneDxBom, 'metadata'> {
  readonly metadata: CycloneDxBom['metadata'] & {
    readonly properties: readonly CycloneDxProperty[];
  };
  readonly vulnerabilities: readonly CycloneDxVulnerability[];
}

/** Goldsmith's negligible is CycloneDX's `info`: a flaw, but one no one needs to act on. */
const SEVERITIES: Readonly<Record<Severity, CycloneDxSeverity>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  negligible: 'info',
  unknown: 'unknown',
};

/** The CycloneDX justifications (`impactAnalysisJustification`) Goldsmith can derive. */
export type CycloneDxJustification =
  | 'code_not_present'
  | 'code_not_reachable'
  | 'requires_environment'
  | 'protected_by_mitigating_control';

/**
 * OpenVEX justifications (OpenVEX spec, "Status Justifications") as CycloneDX names them, for a
 * gate detail that starts with one; any other detail stays free text.
 */
const JUSTIFICATIONS: Readonly<Record<string, CycloneDxJustification>> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

const LAYER_PROPERTY = 'goldsmith:layer';

function notAffectedAnalysis(detail: string | undefined): CycloneDxVulnerability['analysis'] {
  const word = detail === undefined ? undefined : /^[a-z_]+/.exec(detail)?.[0];
  const justification =
    word !== undefined && Object.hasOwn(JUSTIFICATIONS, word) ? JUSTIFICATIONS[word] : undefined;
  return {
    state: 'not_affected',
    ...(justification === undefined ? {} : { justification }),
    ...(detail === undefined ? {} : { detail }),
  };
}

function ratingMethod(vector: string | null): 'CVSSv3' | 'CVSSv31' | 'CVSSv4' | 'other' {
  if (vector?.startsWith('CVSS:4.0/')) return 'CVSSv4';
  if (vector?.startsWith('CVSS:3.1/')) return 'CVSSv31';
  if (vector?.startsWith('CVSS:3.0/')) return 'CVSSv3';
  return 'other';
}

function newest(finding: VulnerabilityFinding): string | undefined {
  // ISO 8601 timestamps in UTC compare as strings.
  return finding.advisories
    .map((a) => a.modified)
    .sort()
    .at(-1);
}

function vulnerability(
  finding: VulnerabilityFinding,
  bomRef: string,
  ref: string,
): CycloneDxVulnerability {
  const others = otherIds(finding);
  const properties: CycloneDxProperty[] = [
    { name: 'goldsmith:package', value: finding.package.name },
    ...(finding.package.sourceName === undefined
      ? []
      : [{ name: 'goldsmith:source_package', value: finding.package.sourceName }]),
    ...(finding.package.sourceVersion === undefined
      ? []
      : [{ name: 'goldsmith:source_version', value: finding.package.sourceVersion }]),
    { name: 'goldsmith:installed_version', value: finding.installedVersion },
    { name: 'goldsmith:fixed_version', value: finding.fixedVersion ?? 'none' },
    { name: 'goldsmith:ecosystem', value: finding.ecosystem },
    ...(finding.layer === undefined
      ? []
      : [{ name: LAYER_PROPERTY, value: describeLayer(finding.layer) }]),
    { name: 'goldsmith:gate', value: describeGateFully(finding.gate) },
    { name: 'goldsmith:severity_source', value: finding.severitySource },
  ];
  const updated = newest(finding);
  const notAffected = !finding.gate.blocking && finding.gate.reason === 'not-affected';
  const detail = finding.gate.blocking ? undefined : finding.gate.detail;
  return {
    'bom-ref': bomRef,
    id: finding.id,
    source: { name: 'OSV', url: advisoryUrl(finding.id) },
    ...(others.length === 0
      ? {}
      : {
          references: others.map((id) => ({ id, source: { name: 'OSV', url: advisoryUrl(id) } })),
        }),
    ratings: [
      {
        ...(finding.score === null ? {} : { score: finding.score }),
        severity: SEVERITIES[finding.severity],
        method: ratingMethod(finding.vector),
        ...(finding.vector === null ? {} : { vector: finding.vector }),
      },
    ],
    ...(finding.summary === undefined ? {} : { description: finding.summary }),
    detail: describeVulnerability(finding),
    recommendation: describeRemedy(finding),
    ...(finding.references.length === 0
      ? {}
      : { advisories: finding.references.map((url) => ({ url })) }),
    ...(updated === undefined ? {} : { updated }),
    // The schema's `justification` is a closed list; a VEX statement's own words go in `detail`.
    ...(notAffected ? { analysis: notAffectedAnalysis(detail) } : {}),
    affects: [
      {
        ref,
        versions: [
          { version: finding.installedVersion, status: notAffected ? 'unaffected' : 'affected' },
        ],
      },
    ],
    properties,
  };
}

function reportProperties(report: ScanReport): CycloneDxProperty[] {
  const { gate } = report;
  return [
    { name: 'goldsmith:target', value: `${report.target.kind} ${report.target.name}` },
    {
      name: 'goldsmith:advisory_database',
      value: `${report.advisoryDatabase.id}, ${report.advisoryDatabase.records} records, newest ${report.advisoryDatabase.newestModified ?? 'none'}`,
    },
    ...report.policy.violations.map((finding) => ({
      name: 'goldsmith:policy_violation',
      value: [
        finding.severity,
        finding.code,
        describeEvidenceLocation(finding.evidence) ?? '-',
        finding.layer === undefined ? '-' : describeLayer(finding.layer),
        describeGateFully(finding.gate),
        finding.message,
      ].join(' | '),
    })),
    ...report.policy.notRun.map((check) => ({
      name: 'goldsmith:policy_not_run',
      value: describeNotRun(check),
    })),
    ...report.warnings.map((value) => ({ name: 'goldsmith:warning', value })),
    {
      name: 'goldsmith:gate',
      value: gate.passed
        ? 'passed'
        : `failed (${gate.blockingVulnerabilities + gate.blockingPolicyViolations} blocking)`,
    },
  ];
}

/** Gives each package component the layer that brought it, as a property. */
function withLayers(components: readonly CycloneDxComponent[], report: ScanReport) {
  const layers = new Map(report.packages.map((pkg) => [pkg.purl, pkg.layer]));
  return components.map((component) => {
    const layer = component.purl === undefined ? undefined : layers.get(component.purl);
    if (layer === undefined) return component;
    const property = { name: LAYER_PROPERTY, value: describeLayer(layer) };
    return { ...component, properties: [...(component.properties ?? []), property] };
  });
}

/** Builds the CycloneDX 1.6 BOM of a scan report: its packages, then its vulnerabilities. */
export function toCycloneDxReport(report: ScanReport): CycloneDxReport {
  const bom = inventoryToCycloneDx(
    { os: report.os, packages: report.packages, warnings: [], analyzers: report.analyzers },
    {
      imageName: report.target.imageId ?? report.target.name,
      ...(report.target.manifestDigest === undefined
        ? {}
        : { imageVersion: report.target.manifestDigest }),
      timestamp: report.createdAt,
      toolVersion: report.scanner.version,
    },
  );
  const components = withLayers(bom.components, report);
  const refOf = new Map<string, string>();
  for (const component of components) {
    const ref = component['bom-ref'];
    if (component.purl !== undefined && ref !== undefined && !refOf.has(component.purl)) {
      refOf.set(component.purl, ref);
    }
  }
  const vulnerabilityRefs = new Set<string>();
  const vulnerabilities = report.vulnerabilities.map((finding) => {
    // One id can affect several packages: the bom-ref names both, and stays unique regardless.
    const base = `vulnerability:${finding.id}:${finding.package.purl}`;
    let bomRef = base;
    for (let n = 2; vulnerabilityRefs.has(bomRef); n += 1) bomRef = `${base}#${n}`;
    vulnerabilityRefs.add(bomRef);
    // A finding's package is always in the inventory; its purl is only a fallback reference.
    return vulnerability(finding, bomRef, refOf.get(finding.package.purl) ?? finding.package.purl);
  });
  return {
    ...bom,
    metadata: { ...bom.metadata, properties: reportProperties(report) },
    components,
    vulnerabilities,
  };
}

/** Renders the report as CycloneDX 1.6 JSON text. */
export function renderCycloneDxReport(report: ScanReport): string {
  return `${JSON.stringify(toCycloneDxReport(report), null, 2)}\n`;
}
