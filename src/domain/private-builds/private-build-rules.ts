import { DomainError } from '../../errors/domain-error.js';
import { findOsVersion } from '../catalog/os-catalog.js';
import type { PrivateBuildStatus } from './private-build.js';

/**
 * The destination name's rule from the API model (DestinationImage.Name): 3-128 of letters,
 * digits, ( ) [ ] space . / - ' @ _.
 */
const DESTINATION_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;
const MAX_DESCRIPTION = 255;

/** Throws INVALID_DESTINATION_IMAGE_NAME unless `name` follows the model's rule. */
export function checkDestinationName(name: string): void {
  if (!DESTINATION_NAME.test(name)) {
    throw new DomainError(
      'INVALID_DESTINATION_IMAGE_NAME',
      "the destination image name must be 3-128 characters of letters, digits, spaces and ( ) [ ] . / - ' @ _",
    );
  }
}

/** Throws INVALID_DESTINATION_IMAGE_DESCRIPTION when the description is longer than 255. */
export function checkDestinationDescription(description: string | undefined): void {
  if (description !== undefined && [...description].length > MAX_DESCRIPTION) {
    throw new DomainError(
      'INVALID_DESTINATION_IMAGE_DESCRIPTION',
      `the destination image description has more than ${MAX_DESCRIPTION} characters`,
    );
  }
}

/** The OS family of an OS version: the catalog's, else the part before the version (`ubuntu`). */
export function osFamilyOf(osVersion: string): string {
  return findOsVersion(osVersion)?.family ?? osVersion.replace(/-[^-]*$/, '');
}

/** The model's status filter values (`in-progress`) by status. */
export const STATUS_FILTER_VALUES: Readonly<Record<string, PrivateBuildStatus>> = {
  'in-progress': 'InProgress',
  'internal-error': 'InternalError',
  failed: 'Failed',
  succeeded: 'Succeeded',
};

/** The filter names DescribeBuilds accepts (the model's DescribeBuildsRequest.Filters). */
export const FILTER_NAMES = ['build-id', 'fulfillment-option-id', 'product-id', 'status'] as const;
