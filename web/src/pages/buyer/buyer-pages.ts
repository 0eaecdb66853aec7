import type { ConsolePage } from '../../app/console-pages.js';

/** The buyer's pages, in navigation order. */
export const BUYER_PAGES: readonly ConsolePage[] = [
  { role: 'buyer', path: 'buyer/products', title: 'Products search' },
  { role: 'buyer', path: 'buyer/private-builds', title: 'Private images builds' },
  { role: 'buyer', path: 'buyer/images', title: 'Images (Owned by me)' },
  { role: 'buyer', path: 'buyer/gold-images', title: 'Gold images' },
  { role: 'buyer', path: 'buyer/instances', title: 'Instances' },
  { role: 'buyer', path: 'buyer/access-keys', title: 'Access keys' },
];
