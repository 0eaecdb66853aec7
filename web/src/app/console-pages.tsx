import type { ComponentType } from 'react';

import type { Role } from '../api/api-types.js';
import { ScanStatusPage } from '../pages/seller/scan-status/scan-status-page.js';

/**
 * One page of the console. Adding a page is one entry here (and its folder
 * under pages/): the router and the side navigation both read this list.
 */
export interface ConsolePage {
  /** Path under the console's base, without a leading slash. */
  readonly path: string;
  readonly title: string;
  /** Only accounts holding this role see the page in the navigation and may open it. */
  readonly role: Role;
  /** The navigation section the link sits in; top level without one. */
  readonly section?: string;
  /** The page; pages not built yet say so. */
  readonly component?: ComponentType;
}

/** Every page, in navigation order within each role. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { role: 'seller', section: 'Image Build', path: 'seller/packages', title: 'Manage packages' },
  {
    role: 'seller',
    section: 'Image Build',
    path: 'seller/scan-status',
    title: 'Scan status',
    component: ScanStatusPage,
  },
  { role: 'seller', section: 'Assets', path: 'seller/file-upload', title: 'File upload' },
  { role: 'seller', path: 'seller/products', title: 'Products' },

  { role: 'buyer', path: 'buyer/products', title: 'Products search' },
  { role: 'buyer', path: 'buyer/private-builds', title: 'Private images builds' },
  { role: 'buyer', path: 'buyer/images', title: 'Images (Owned by me)' },
  { role: 'buyer', path: 'buyer/gold-images', title: 'Gold images' },
  { role: 'buyer', path: 'buyer/instances', title: 'Instances' },
  { role: 'buyer', path: 'buyer/access-keys', title: 'Access keys' },

  { role: 'operator', path: 'operator/investigations', title: 'Investigations' },
  { role: 'operator', path: 'operator/load-form-review', title: 'Load form review' },
  { role: 'operator', path: 'operator/base-images', title: 'Base images' },
  { role: 'operator', path: 'operator/accounts', title: 'Accounts' },
  { role: 'operator', path: 'operator/vulnerability-database', title: 'Vulnerability database' },
];

/** How each role's navigation group is titled. */
export const ROLE_TITLES: Record<Role, string> = {
  seller: 'Seller',
  buyer: 'Buyer',
  operator: 'Operator',
};
