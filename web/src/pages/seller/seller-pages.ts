import type { ConsolePage } from '../../app/console-pages.js';
import { FileUploadPage } from './file-upload/file-upload-page.js';
import { ImageDetailsPage } from './image-details/image-details-page.js';
import { ManagePackagesPage } from './packages/manage-packages-page.js';
import { ProductsPage } from './products/products-page.js';
import { ScanStatusPage } from './scan-status/scan-status-page.js';

/** The seller's pages, in navigation order. */
export const SELLER_PAGES: readonly ConsolePage[] = [
  {
    role: 'seller',
    section: 'Image Build',
    path: 'seller/packages',
    title: 'Manage packages',
    component: ManagePackagesPage,
  },
  {
    role: 'seller',
    section: 'Image Build',
    path: 'seller/scan-status',
    title: 'Scan status',
    component: ScanStatusPage,
  },
  {
    role: 'seller',
    section: 'Image Build',
    path: 'seller/image-details',
    title: 'Image details',
    inNavigation: false,
    component: ImageDetailsPage,
  },
  {
    role: 'seller',
    section: 'Assets',
    path: 'seller/file-upload',
    title: 'File upload',
    component: FileUploadPage,
  },
  { role: 'seller', path: 'seller/products', title: 'Products', component: ProductsPage },
];
