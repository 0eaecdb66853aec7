import { debPurl as inventoryDebPurl, toInventoryPackage } from '../inventory/dpkg-analyzer.js';
import type {
  DpkgInventory,
  DpkgPackage,
  Inventory,
  InventoryPackage,
  OsRelease,
} from '../inventory/inventory-types.js';

/** What the SBOM says about the image it describes. */
export interface SbomMeta {
  /** The image's name, e.g. its id `img-0f3c2a9d81b7e4c55` or a product name. */
  readonly imageName: string;
  /** The image's version, e.g. its manifest digest; omitted from the BOM when not given. */
  readonly imageVersion?: string;
  /** Goldsmith's version, given to the tool component when known. */
  readonly toolVersion?: string;
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
  readonly licenses?: readonly { readonly license: { readonly name: string } }[];
  readonly properties?: readonly CycloneDxProperty[];
  /** Where the component was found: files relative to the image root. */
  readonly evidence?: { readonly occurrences: readonly { readonly location: string }[] };
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
 * Builds a CycloneDX 1.6 BOM of a dpkg inventory: the image as the metadata component, then the
 * operating system and every package whose files are on disk (dpkg's `config-files` records,
 * which keep only configuration, are left out). See inventoryToCycloneDx for all ecosystems.
 */
export function toCycloneDx(inventory: DpkgInventory, meta: SbomMeta): CycloneDxBom {
  const packages = inventory.packages
    .filter((pkg) => pkg.status.state !== 'config-files')
    .map((pkg) => toInventoryPackage(pkg, undefined, meta.osRelease));
  return buildBom(packages, meta);
}

/**
 * Builds a CycloneDX 1.6 BOM of a whole inventory (every ecosystem, see analyzeRoot): the image
 * as the metadata component, then the operating system (the inventory's, unless `meta` gives
 * one) and every package, with its source package, licenses and the files it was found in.
 */
export function inventoryToCycloneDx(inventory: Inventory, meta: SbomMeta): CycloneDxBom {
  return buildBom(inventory.packages, { ...meta, osRelease: meta.osRelease ?? inventory.os });
}

function buildBom(packages: readonly InventoryPackage[], meta: SbomMeta): CycloneDxBom {
  const components: CycloneDxComponent[] = [];
  if (meta.osRelease !== undefined) components.push(osComponent(meta.osRelease));
  const refs = new Set<string>();
  for (const pkg of packages) {
    // bom-refs must be unique; analyzeRoot merges equal purls, so this is only a safeguard.
    let ref = pkg.purl;
    for (let n = 2; refs.has(ref); n += 1) ref = `${pkg.purl}#${n}`;
    refs.add(ref);
    components.push(packageComponent(pkg, ref));
  }
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    ...(meta.serialNumber === undefined ? {} : { serialNumber: meta.serialNumber }),
    version: 1,
    metadata: {
      timestamp: meta.timestamp,
      tools: {
        components: [
          {
            type: 'application',
            name: 'goldsmith',
            ...(meta.toolVersion === undefined ? {} : { version: meta.toolVersion }),
          },
        ],
      },
      component: {
        type: 'container',
        'bom-ref': `image:${meta.imageName}`,
        name: meta.imageName,
        ...(meta.imageVersion === undefined ? {} : { version: meta.imageVersion }),
      },
    },
    components,
  };
}

function packageComponent(pkg: InventoryPackage, ref: string): CycloneDxComponent {
  const properties: CycloneDxProperty[] = [];
  // `goldsmith:<type>:source_name`, so deb packages keep SOURCE_NAME_PROPERTY.
  if (pkg.sourceName !== undefined) {
    properties.push({ name: `goldsmith:${pkg.type}:source_name`, value: pkg.sourceName });
  }
  if (pkg.sourceVersion !== undefined) {
    properties.push({ name: `goldsmith:${pkg.type}:source_version`, value: pkg.sourceVersion });
  }
  return {
    type: 'library',
    'bom-ref': ref,
    name: pkg.name,
    version: pkg.version,
    purl: pkg.purl,
    ...(pkg.licenses === undefined || pkg.licenses.length === 0
      ? {}
      : { licenses: pkg.licenses.map((name) => ({ license: { name } })) }),
    ...(properties.length === 0 ? {} : { properties }),
    ...(pkg.locations.length === 0
      ? {}
      : { evidence: { occurrences: pkg.locations.map((location) => ({ location })) } }),
  };
}

/**
 * The package URL of a Debian package (purl spec, `deb` type), e.g.
 * `pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12`.
 */
export function debPurl(pkg: DpkgPackage, os: OsRelease | undefined): string {
  return inventoryDebPurl(pkg, os);
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
