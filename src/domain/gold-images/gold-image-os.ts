import { DomainError } from '../../errors/domain-error.js';
import { readOsReleaseFields } from '../../scanner/inventory/os-release.js';
import { OS_VERSIONS } from '../catalog/os-catalog.js';

/** The OS a gold image holds, as Goldsmith names it. */
export interface GoldImageOs {
  /** The catalog id (`debian-12`) when the catalog knows it, else `<ID>-<VERSION_ID>`. */
  readonly osVersion: string;
  readonly prettyName: string;
}

/**
 * Detects the OS of the root filesystem at `root` from os-release(5). Only Debian-like systems
 * (ID debian, or ID_LIKE naming debian) can be built on: the installers run through dpkg/apt.
 */
export async function detectGoldImageOs(root: string): Promise<GoldImageOs> {
  const fields = await readOsReleaseFields(root);
  const id = fields?.get('ID');
  if (fields === undefined || id === undefined || id === '') {
    throw new DomainError(
      'GOLD_IMAGE_OS_UNKNOWN',
      'the image has no /etc/os-release or /usr/lib/os-release naming its OS (ID=)',
    );
  }
  const versionId = fields.get('VERSION_ID') ?? '';
  const prettyName = fields.get('PRETTY_NAME') ?? `${id} ${versionId}`.trim();
  const idLike = (fields.get('ID_LIKE') ?? '').split(/\s+/);
  if (id !== 'debian' && !idLike.includes('debian')) {
    throw new DomainError(
      'GOLD_IMAGE_OS_UNSUPPORTED',
      `the image holds ${prettyName} (ID=${id}${idLike[0] === '' ? '' : `, ID_LIKE=${idLike.join(' ')}`}); ` +
        'Goldsmith builds only on Debian and Debian-like systems',
    );
  }
  // Debian's VERSION_ID is the major version ("12"); a point release ("12.5") names the same one.
  const major = versionId.split('.')[0] ?? '';
  const catalogued = OS_VERSIONS.find((os) => os.id === `${id}-${major}`);
  if (catalogued !== undefined) return { osVersion: catalogued.id, prettyName };
  return { osVersion: versionId === '' ? id : `${id}-${versionId}`, prettyName };
}
