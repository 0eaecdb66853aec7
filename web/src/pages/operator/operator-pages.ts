import type { ConsolePage } from '../../app/console-pages.js';
import { LoadFormReviewPage } from './load-form-review/load-form-review-page.js';
import { AccountsPage } from './accounts/accounts-page.js';
import { BaseImagesPage } from './base-images/base-images-page.js';
import { InvestigationsPage } from './investigations/investigations-page.js';
import { SupportCasesPage } from './support-cases/support-cases-page.js';
import { VulnerabilityDatabasePage } from './vulnerability-database/vulnerability-database-page.js';

/** The operator's pages, in navigation order. */
export const OPERATOR_PAGES: readonly ConsolePage[] = [
  {
    role: 'operator',
    path: 'operator/investigations',
    title: 'Investigations',
    component: InvestigationsPage,
  },
  {
    role: 'operator',
    path: 'operator/support-cases',
    title: 'Support cases',
    component: SupportCasesPage,
  },
  {
    role: 'operator',
    path: 'operator/load-form-review',
    title: 'Load form review',
    component: LoadFormReviewPage,
  },
  {
    role: 'operator',
    path: 'operator/base-images',
    title: 'Base images',
    component: BaseImagesPage,
  },
  { role: 'operator', path: 'operator/accounts', title: 'Accounts', component: AccountsPage },
  {
    role: 'operator',
    path: 'operator/vulnerability-database',
    title: 'Vulnerability database',
    component: VulnerabilityDatabasePage,
  },
];
