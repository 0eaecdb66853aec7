import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';

import type { ApiClient } from '../../../api/api-client.js';
import { listAccounts, listSupportCases, type SupportCase } from '../../../api/operator-api.js';
import { consoleHref } from '../../../app/console-paths.js';
import { formatDate } from '../../../components/format-date.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';

interface SupportCaseRow extends SupportCase {
  readonly accountName: string;
}

/** Support cases with their account's name. */
async function loadSupportCases(client: ApiClient): Promise<SupportCaseRow[]> {
  const [cases, accounts] = await Promise.all([listSupportCases(client), listAccounts(client)]);
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  return cases.map((c) => ({ ...c, accountName: names.get(c.accountId) ?? c.accountId }));
}

const COLUMNS: TableProps.ColumnDefinition<SupportCaseRow>[] = [
  { id: 'id', header: 'Case', cell: (c) => c.id, sortingField: 'id', isRowHeader: true },
  {
    id: 'state',
    header: 'State',
    cell: (c) =>
      c.state === 'open' ? (
        <StatusIndicator type="pending">Open</StatusIndicator>
      ) : (
        <StatusIndicator type="stopped">Closed</StatusIndicator>
      ),
    sortingField: 'state',
  },
  { id: 'account', header: 'Account', cell: (c) => c.accountName, sortingField: 'accountName' },
  {
    id: 'build',
    header: 'Build',
    cell: (c) => <Link href={consoleHref('operator/investigations')}>{c.buildId}</Link>,
    sortingField: 'buildId',
  },
  { id: 'message', header: 'Message from the seller', cell: (c) => c.message },
  {
    id: 'createdAt',
    header: 'Opened',
    cell: (c) => formatDate(c.createdAt),
    sortingField: 'createdAt',
  },
];

/** The support cases sellers opened about builds Investigating for four business days. */
export function SupportCasesPage(): JSX.Element {
  const cases = useApiQuery(loadSupportCases);
  return (
    <ResourceTable
      title="Support cases"
      resourceName="support cases"
      description="Sellers may open a case once a build has been Investigating for four business days. Answer it by retrying the build, or closing it with a message, under Investigations."
      items={cases.data}
      loading={cases.loading}
      error={cases.error}
      onRetry={cases.reload}
      columns={COLUMNS}
      trackBy="id"
      empty="No seller has opened a support case."
      actions={
        <Button iconName="refresh" loading={cases.loading} onClick={cases.reload}>
          Refresh
        </Button>
      }
    />
  );
}
