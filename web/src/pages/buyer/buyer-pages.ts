import type { ConsolePage } from '../../app/console-pages.js';
import { AccessKeysPage } from './access-keys/access-keys-page.js';
import { GoldImagesPage } from './gold-images/gold-images-page.js';
import { ImagesPage } from './images/images-page.js';
import { InstancesPage } from './instances/instances-page.js';
import { PrivateBuildsPage } from './private-builds/private-builds-page.js';
import { ProductsPage } from './products/products-page.js';

/** The buyer's pages, in navigation order. */
export const BUYER_PAGES: readonly ConsolePage[] = [
  { role: 'buyer', path: 'buyer/products', title: 'Products search', component: ProductsPage },
  {
    role: 'buyer',
    path: 'buyer/private-builds',
    title: 'Private images builds',
    component: PrivateBuildsPage,
  },
  { role: 'buyer', path: 'buyer/images', title: 'Images (Owned by me)', component: ImagesPage },
  { role: 'buyer', path: 'buyer/gold-images', title: 'Gold images', component: GoldImagesPage },
  { role: 'buyer', path: 'buyer/instances', title: 'Instances', component: InstancesPage },
  { role: 'buyer', path: 'buyer/access-keys', title: 'Access keys', component: AccessKeysPage },
];
