import type { ConsolePage } from '../../app/console-pages.js';

/** The operator's pages, in navigation order. */
export const OPERATOR_PAGES: readonly ConsolePage[] = [
  { role: 'operator', path: 'operator/investigations', title: 'Investigations' },
  { role: 'operator', path: 'operator/load-form-review', title: 'Load form review' },
  { role: 'operator', path: 'operator/base-images', title: 'Base images' },
  { role: 'operator', path: 'operator/accounts', title: 'Accounts' },
  { role: 'operator', path: 'operator/vulnerability-database', title: 'Vulnerability database' },
];
