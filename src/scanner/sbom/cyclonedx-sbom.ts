import type { DpkgInventory, DpkgPackage, OsRelease } from '../inventory/inventory-types.js';

/** What the SBOM says about the image it describes. */
export interface SbomMeta {
  /** The image's name, e.g. its id `img-0f3c2a9d81b7e4c55` or a product name. */
  readonly imageName: string;
  readonly imageVersion: string;
  /** When the SBOM was made, ISO 8601. */
  readonly timestamp: string;
  /** The image's operating system: an SBOM component, and the purls' `distro` qualifier. */
  readonly osRelease?: OsRelease | undefined;
  /** `urn:uuid:<uuid>`; omitted when not given, so equal inputs give equal documents. */
  readonly serialNumber?: string;
}

/** A CycloneDX name/value property. */
export interface CycloneDxProperty {
  readonly name: string;
  readonly value: string;
}

/** The fields of a CycloneDX component that Goldsmith fills in. */
export interface CycloneDxComponent {
  readonly type: 'application' | 'container' | 'library' | 'operating-system';
  readonly 'bom-ref'?: string;
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
  readonly purl?: string;
  readonly properties?: readonly CycloneDxProperty[];
}

/** The subset of a CycloneDX 1.6 JSON BOM that Goldsmith writes. */
export interface CycloneDxBom {
  readonly $schema: string;
  readonly bomFormat: 'CycloneDX';
  readonly specVersion: '1.6';
  readonly serialNumber?: string;
  readonly version: 1;
  readonly metadata: {
    readonly timestamp: string;
    readonly tools: { readonly components: readonly CycloneDxComponent[] };
    readonly component: CycloneDxComponent;
  };
  readonly components: readonly CycloneDxComponent[];
}

/** Property naming a package's Debian source package (CycloneDX has no field for it). */
export const SOURCE_NAME_PROPERTY = 'goldsmith:deb:source_name';
/** Property giving the version of that source package. */
export const SOURCE_VERSION_PROPERTY = 'goldsmith:deb:source_version';

/**
 * Builds a CycloneDX 1.6 BOM of an image's inventory: the image as the metadata component,
 * then the operating system and every package whose files are on disk (dpkg's `config-files`
 * records, which keep only configuration, are left out).
 */
export function toCycloneDx(inventory: DpkgInventory, meta: SbomMeta): CycloneDxBom {
  const packages = inventory.packages.filter((pkg) => pkg.status.state !== 'config-files');
  const components: CycloneDxComponent[] = [];
  if (meta.osRelease !== undefined) components.push(osComponent(meta.osRelease));
  for (const pkg of packages) {
    const purl = debPurl(pkg, meta.osRelease);
    components.push({
      type: 'library',
      'bom-ref': purl,
      name: pkg.name,
      version: pkg.version,
      purl,
      properties: [
        { name: SOURCE_NAME_PROPERTY, value: pkg.sourceName },
        { name: SOURCE_VERSION_PROPERTY, value: pkg.sourceVersion },
      ],
    });
  }
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    ...(meta.serialNumber === undefined ? {} : { serialNumber: meta.serialNumber }),
    version: 1,
    metadata: {
      timestamp: meta.timestamp,
      tools: { components: [{ type: 'application', name: 'goldsmith' }] },
      component: {
        type: 'container',
        'bom-ref': `image:${meta.imageName}`,
        name: meta.imageName,
        version: meta.imageVersion,
      },
    },
    components,
  };
}

/**
 * The package URL of a Debian package (purl spec, `deb` type), e.g.
 * `pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12`.
 */
export function debPurl(pkg: DpkgPackage, os: OsRelease | undefined): string {
  const qualifiers = [`arch=${purlEncode(pkg.architecture)}`];
  const release = os?.versionId ?? os?.versionCodename;
  if (release !== undefined) qualifiers.push(`distro=${purlEncode(`debian-${release}`)}`);
  // Qualifiers are sorted by key, as the purl spec's canonical form requires.
  return `pkg:deb/debian/${purlEncode(pkg.name)}@${purlEncode(pkg.version)}?${qualifiers.sort().join('&')}`;
}

function osComponent(os: OsRelease): CycloneDxComponent {
  const version = os.versionId ?? os.versionCodename;
  return {
    type: 'operating-system',
    'bom-ref': `os:${os.id}`,
    name: os.id,
    ...(version === undefined ? {} : { version }),
    description: os.prettyName,
  };
}

/**
 * Percent-encodes a purl component: everything but ASCII letters, digits and `-._~`, so `+`
 * becomes `%2B` and an epoch's `:` becomes `%3A` (as packageurl implementations write them).
 */
function purlEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
