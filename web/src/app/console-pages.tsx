import type { ComponentType } from 'react';

import type { Role } from '../api/api-types.js';
import { BUYER_PAGES } from '../pages/buyer/buyer-pages.js';
import { OPERATOR_PAGES } from '../pages/operator/operator-pages.js';
import { SELLER_PAGES } from '../pages/seller/seller-pages.js';

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
  /** False for a page reached from another one (a detail page), never from the navigation. */
  readonly inNavigation?: false;
  readonly component: ComponentType;
}

/** Every page, in navigation order within each role; each role's list lives with its pages. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  ...SELLER_PAGES,
  ...BUYER_PAGES,
  ...OPERATOR_PAGES,
];

/** How each role's navigation group is titled. */
export const ROLE_TITLES: Record<Role, string> = {
  seller: 'Seller',
  buyer: 'Buyer',
  operator: 'Operator',
};
