import Badge from '@cloudscape-design/components/badge';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';

import type { Account } from '../../../api/api-types.js';
import { listAccounts } from '../../../api/operator-api.js';
import { formatDate } from '../../../components/format-date.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { AccountDetail } from './account-detail.js';
import { CreateAccountModal } from './create-account-modal.js';
import { TokenReveal } from './token-reveal.js';

/** Accounts and their roles; create one, and manage an account's API tokens and access keys. */
export function AccountsPage(): JSX.Element {
  const accounts = useApiQuery(listAccounts);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const [selectedId, setSelectedId] = useState<string>();
  const selected = accounts.data?.find((a) => a.id === selectedId);

  const columns: TableProps.ColumnDefinition<Account>[] = [
    {
      id: 'name',
      header: 'Name',
      cell: (a) => (
        <Link
          href={`#account-${a.id}`}
          onFollow={(event) => {
            event.preventDefault();
            setSelectedId(a.id);
          }}
        >
          {a.name}
        </Link>
      ),
      sortingField: 'name',
      isRowHeader: true,
    },
    { id: 'id', header: 'Account ID', cell: (a) => a.id, sortingField: 'id' },
    {
      id: 'roles',
      header: 'Roles',
      cell: (a) => (
        <SpaceBetween direction="horizontal" size="xxs">
          {a.roles.map((r) => (
            <Badge key={r} color={r === 'operator' ? 'red' : 'blue'}>
              {r}
            </Badge>
          ))}
        </SpaceBetween>
      ),
    },
    {
      id: 'createdAt',
      header: 'Created',
      cell: (a) => formatDate(a.createdAt),
      sortingField: 'createdAt',
    },
  ];

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Every account of this installation. Open one to issue or revoke its API tokens and to see its access keys."
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button iconName="refresh" loading={accounts.loading} onClick={accounts.reload}>
                Refresh
              </Button>
              <Button variant="primary" onClick={() => setCreating(true)}>
                Create account
              </Button>
            </SpaceBetween>
          }
        >
          Accounts
        </Header>
      }
    >
      <SpaceBetween size="l">
        {created !== undefined && (
          <TokenReveal
            header={`Account ${created.name} created`}
            token={created.token}
            onDismiss={() => setCreated(undefined)}
          />
        )}
        <ResourceTable
          variant="section"
          title="Accounts"
          resourceName="accounts"
          items={accounts.data}
          loading={accounts.loading}
          error={accounts.error}
          onRetry={accounts.reload}
          columns={columns}
          trackBy="id"
          empty="No accounts."
        />
        {selected !== undefined && <AccountDetail key={selected.id} account={selected} />}
      </SpaceBetween>
      <CreateAccountModal
        visible={creating}
        onDismiss={() => setCreating(false)}
        onCreated={(result, name) => {
          setCreating(false);
          setCreated({ name, token: result.token });
          setSelectedId(result.accountId);
          accounts.reload();
        }}
      />
    </ContentLayout>
  );
}
