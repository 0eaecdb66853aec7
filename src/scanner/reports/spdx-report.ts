/**
 * The scan report as an SPDX 2.3 JSON document: the image as a package that contains the
 * operating system and every inventory package, and each vulnerability as a SECURITY `advisory`
 * external reference on the package it affects. Policy violations have no place in SPDX 2.3 and
 * are left out; the gate's verdict and the checks not run are in the creation comment.
 */
import { describeLayer } from '../layers/layer-origin.js';
import type { ScannedPackage, ScanReport, VulnerabilityFinding } from '../scan/scan-report.js';
import {
  advisoryUrl,
  describeFix,
  describeNotRun,
  describeSourcePackage,
  otherIds,
} from './finding-text.js';
import { parseSpdxLicenseExpression } from './spdx-license-parser.js';

/** An SPDX 2.3 external reference. */
export interface SpdxExternalRef {
  readonly referenceCategory: 'SECURITY' | 'PACKAGE-MANAGER' | 'PERSISTENT-ID' | 'OTHER';
  readonly referenceType: string;
  readonly referenceLocator: string;
  readonly comment?: string;
}

/** The fields of an SPDX 2.3 package that Goldsmith fills in. */
export interface SpdxPackage {
  readonly name: string;
  readonly SPDXID: string;
  readonly versionInfo?: string;
  readonly supplier: 'NOASSERTION';
  readonly downloadLocation: 'NOASSERTION';
  readonly filesAnalyzed: false;
  readonly licenseConcluded: 'NOASSERTION';
  readonly licenseDeclared: string;
  readonly copyrightText: 'NOASSERTION';
  readonly sourceInfo?: string;
  readonly description?: string;
  readonly comment?: string;
  readonly primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY';
  readonly externalRefs?: readonly SpdxExternalRef[];
}

/** An SPDX 2.3 relationship. */
export interface SpdxRelationship {
  readonly spdxElementId: string;
  readonly relationshipType: 'DESCRIBES' | 'CONTAINS';
  readonly relatedSpdxElement: string;
}

/** The subset of an SPDX 2.3 JSON document that Goldsmith writes. */
export interface SpdxDocument {
  readonly spdxVersion: 'SPDX-2.3';
  readonly dataLicense: 'CC0-1.0';
  readonly SPDXID: 'SPDXRef-DOCUMENT';
  readonly name: string;
  readonly documentNamespace: string;
  readonly creationInfo: {
    readonly created: string;
    readonly creators: readonly string[];
    readonly comment?: string;
  };
  readonly packages: readonly SpdxPackage[];
  readonly relationships: readonly SpdxRelationship[];
}

/**
 * Goldsmith is self-hosted and has no public URL; documentNamespace needs a unique URI only
 * (SPDX 2.3 §6.5), and the reserved `.invalid` domain (RFC 2606) says it resolves nowhere.
 */
const NAMESPACE_BASE = 'https://goldsmith.invalid/spdx';
const IMAGE_ID = 'SPDXRef-Image';
const OS_ID = 'SPDXRef-OperatingSystem';

/** SPDX identifiers allow letters, digits, `.` and `-` only (§3.2). */
function sanitise(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/-{2,}/g, '-');
}

/** `YYYY-MM-DDThh:mm:ssZ`, the only form SPDX accepts for `created` (§6.9). */
function spdxTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What an image scan cannot know of a package: who supplied it, where from, its copyright. */
const NOT_ASSERTED = {
  supplier: 'NOASSERTION',
  downloadLocation: 'NOASSERTION',
  filesAnalyzed: false,
  licenseConcluded: 'NOASSERTION',
  licenseDeclared: 'NOASSERTION',
  copyrightText: 'NOASSERTION',
} as const;

/** The declared licenses as one expression (all apply: AND), or NOASSERTION if any is no expression. */
function declaredLicense(pkg: ScannedPackage): string {
  const licenses = pkg.licenses ?? [];
  if (licenses.length === 0) return 'NOASSERTION';
  const parsed = licenses.map(parseSpdxLicenseExpression);
  if (parsed.some((expression) => expression === undefined)) return 'NOASSERTION';
  if (parsed.length === 1) return parsed[0] ?? 'NOASSERTION';
  return parsed
    .map((expression) => (/\s/.test(expression ?? '') ? `(${expression})` : expression))
    .join(' AND ');
}

function advisoryRef(finding: VulnerabilityFinding): SpdxExternalRef {
  const others = otherIds(finding);
  const source = describeSourcePackage(finding);
  return {
    referenceCategory: 'SECURITY',
    referenceType: 'advisory',
    referenceLocator: advisoryUrl(finding.id),
    comment:
      `${finding.id}${others.length === 0 ? '' : ` (also ${others.join(', ')})`}: ` +
      `${finding.severity}${finding.score === null ? '' : ` ${finding.score.toFixed(1)}`}; ` +
      `${finding.package.name}${source === undefined ? '' : ` (source package ${source})`} ` +
      `${finding.installedVersion} installed, ${describeFix(finding)}`,
  };
}

function packageEntry(
  pkg: ScannedPackage,
  spdxId: string,
  advisories: readonly SpdxExternalRef[],
): SpdxPackage {
  return {
    name: pkg.name,
    SPDXID: spdxId,
    versionInfo: pkg.version,
    ...NOT_ASSERTED,
    licenseDeclared: declaredLicense(pkg),
    ...(pkg.sourceName === undefined
      ? {}
      : {
          sourceInfo: `built from source package ${pkg.sourceName}${pkg.sourceVersion === undefined ? '' : ` ${pkg.sourceVersion}`}`,
        }),
    ...(pkg.layer === undefined ? {} : { comment: `Brought by the ${describeLayer(pkg.layer)}.` }),
    primaryPackagePurpose: 'LIBRARY',
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
      ...advisories,
    ],
  };
}

function creationComment(report: ScanReport): string {
  const { gate } = report;
  const blocking = gate.blockingVulnerabilities + gate.blockingPolicyViolations;
  return [
    `Scan gate: ${gate.passed ? 'passed' : `failed (${blocking} blocking)`}.`,
    `Policy violations: ${report.policy.violations.length}.`,
    ...report.policy.notRun.map((check) => `${describeNotRun(check)}.`),
  ].join(' ');
}

/** Builds the SPDX 2.3 document of a scan report: image, packages and their advisories. */
export function toSpdxDocument(report: ScanReport): SpdxDocument {
  const imageName = report.target.imageId ?? report.target.name;
  const created = spdxTimestamp(report.createdAt);
  const ids = new Set<string>([IMAGE_ID, OS_ID]);
  const idOfPurl = new Map<string, string>();
  const packageIds = report.packages.map((pkg) => {
    const base = `SPDXRef-Package-${sanitise(`${pkg.type}-${pkg.name}-${pkg.version}`)}`;
    let id = base;
    for (let n = 2; ids.has(id); n += 1) id = `${base}-${n}`;
    ids.add(id);
    if (!idOfPurl.has(pkg.purl)) idOfPurl.set(pkg.purl, id);
    return id;
  });

  // A finding whose package is not in the inventory (never expected) stays visible on the image.
  const advisoriesOf = new Map<string, SpdxExternalRef[]>();
  for (const finding of report.vulnerabilities) {
    const owner = idOfPurl.get(finding.package.purl) ?? IMAGE_ID;
    advisoriesOf.set(owner, [...(advisoriesOf.get(owner) ?? []), advisoryRef(finding)]);
  }

  const imageAdvisories = advisoriesOf.get(IMAGE_ID) ?? [];
  const image: SpdxPackage = {
    name: imageName,
    SPDXID: IMAGE_ID,
    ...(report.target.manifestDigest === undefined
      ? {}
      : { versionInfo: report.target.manifestDigest }),
    ...NOT_ASSERTED,
    description: `${report.target.kind} ${report.target.name}`,
    primaryPackagePurpose: 'CONTAINER',
    ...(imageAdvisories.length === 0 ? {} : { externalRefs: imageAdvisories }),
  };
  const os = report.os;
  const osVersion = os?.versionId ?? os?.versionCodename;
  const osPackages: SpdxPackage[] =
    os === undefined
      ? []
      : [
          {
            name: os.id,
            SPDXID: OS_ID,
            ...(osVersion === undefined ? {} : { versionInfo: osVersion }),
            ...NOT_ASSERTED,
            description: os.prettyName,
            primaryPackagePurpose: 'OPERATING_SYSTEM',
          },
        ];
  const packages = report.packages.map((pkg, index) => {
    const id = packageIds[index] ?? '';
    return packageEntry(pkg, id, advisoriesOf.get(id) ?? []);
  });

  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: imageName,
    documentNamespace: `${NAMESPACE_BASE}/${encodeURIComponent(imageName)}-${encodeURIComponent(created)}`,
    creationInfo: {
      created,
      creators: [`Tool: goldsmith-${report.scanner.version}`],
      comment: creationComment(report),
    },
    packages: [image, ...osPackages, ...packages],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: IMAGE_ID,
      },
      ...[...osPackages, ...packages].map((pkg) => ({
        spdxElementId: IMAGE_ID,
        relationshipType: 'CONTAINS' as const,
        relatedSpdxElement: pkg.SPDXID,
      })),
    ],
  };
}

/** Renders the report as SPDX 2.3 JSON text. */
export function renderSpdxReport(report: ScanReport): string {
  return `${JSON.stringify(toSpdxDocument(report), null, 2)}\n`;
}
