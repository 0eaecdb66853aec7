import type { ConsolePage } from '../../app/console-pages.js';
import { ScanStatusPage } from './scan-status/scan-status-page.js';

/** The seller's pages, in navigation order. */
export const SELLER_PAGES: readonly ConsolePage[] = [
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
];
