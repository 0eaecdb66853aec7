import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TableProps } from '@cloudscape-design/components/table';
import { useCallback, useState, type ReactNode } from 'react';

import type { ApiClient } from '../../../api/api-client.js';
import type { Account } from '../../../api/api-types.js';
import {
  deleteAccessKey,
  issueToken,
  listAccessKeys,
  listTokens,
  revokeToken,
  type AccessKeyInfo,
  type ApiTokenInfo,
} from '../../../api/operator-api.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { formatDate } from '../../../components/format-date.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';
import { TokenReveal } from './token-reveal.js';

type Pending =
  | { kind: 'issue' }
  | { kind: 'revoke'; token: ApiTokenInfo }
  | { kind: 'delete-key'; key: AccessKeyInfo };

/** One account's API tokens (issue, revoke) and access keys (delete). */
export function AccountDetail({ account }: { account: Account }): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const loadTokens = useCallback((c: ApiClient) => listTokens(c, account.id), [account.id]);
  const loadKeys = useCallback((c: ApiClient) => listAccessKeys(c, account.id), [account.id]);
  const tokens = useApiQuery(loadTokens);
  const keys = useApiQuery(loadKeys);
  const [pending, setPending] = useState<Pending>();
  const [tokenName, setTokenName] = useState('');
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<string>();

  const tokenNameError =
    tokenName.trim() === ''
      ? 'Enter a name, such as the tool that uses the token.'
      : tokenName.length > 100
        ? 'At most 100 characters.'
        : undefined;

  const run = async () => {
    if (pending === undefined) return;
    setBusy(true);
    try {
      if (pending.kind === 'issue') {
        const token = await issueToken(client, account.id, tokenName.trim());
        setIssued(token.token);
        tokens.reload();
      } else if (pending.kind === 'revoke') {
        await revokeToken(client, account.id, pending.token.tokenId);
        tokens.reload();
      } else {
        await deleteAccessKey(client, pending.key.accessKeyId);
        keys.reload();
      }
    } catch (error) {
      notifyError(
        pending.kind === 'issue'
          ? 'Could not create the token'
          : pending.kind === 'revoke'
            ? `Could not revoke token ${pending.token.name}`
            : `Could not delete access key ${pending.key.accessKeyId}`,
        error,
      );
    } finally {
      setBusy(false);
      setPending(undefined);
    }
  };

  const tokenColumns: TableProps.ColumnDefinition<ApiTokenInfo>[] = [
    { id: 'name', header: 'Name', cell: (t) => t.name, sortingField: 'name', isRowHeader: true },
    { id: 'tokenId', header: 'Token ID', cell: (t) => t.tokenId, sortingField: 'tokenId' },
    {
      id: 'createdAt',
      header: 'Created',
      cell: (t) => formatDate(t.createdAt),
      sortingField: 'createdAt',
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: (t) => (
        <Button
          ariaLabel={`Revoke token ${t.name}`}
          onClick={() => setPending({ kind: 'revoke', token: t })}
        >
          Revoke
        </Button>
      ),
    },
  ];
  const keyColumns: TableProps.ColumnDefinition<AccessKeyInfo>[] = [
    {
      id: 'id',
      header: 'Access key ID',
      cell: (k) => k.accessKeyId,
      sortingField: 'accessKeyId',
      isRowHeader: true,
    },
    {
      id: 'createdAt',
      header: 'Created',
      cell: (k) => formatDate(k.createdAt),
      sortingField: 'createdAt',
    },
    { id: 'lastUsedAt', header: 'Last used', cell: (k) => formatDate(k.lastUsedAt) },
    {
      id: 'actions',
      header: 'Actions',
      cell: (k) => (
        <Button
          ariaLabel={`Delete access key ${k.accessKeyId}`}
          onClick={() => setPending({ kind: 'delete-key', key: k })}
        >
          Delete
        </Button>
      ),
    },
  ];

  let modalHeader = '';
  let modalBody: ReactNode = null;
  let confirmLabel = '';
  if (pending?.kind === 'issue') {
    modalHeader = `Create an API token for ${account.name}`;
    confirmLabel = 'Create token';
    modalBody = (
      <FormField
        label="Token name"
        constraintText="What uses the token; at most 100 characters."
        errorText={tokenName === '' ? undefined : tokenNameError}
      >
        <Input
          value={tokenName}
          ariaLabel="Token name"
          onChange={(e) => setTokenName(e.detail.value)}
        />
      </FormField>
    );
  } else if (pending?.kind === 'revoke') {
    modalHeader = `Revoke token ${pending.token.name}?`;
    confirmLabel = 'Revoke token';
    modalBody = 'Requests with this token fail from now on. This cannot be undone.';
  } else if (pending?.kind === 'delete-key') {
    modalHeader = `Delete access key ${pending.key.accessKeyId}?`;
    confirmLabel = 'Delete access key';
    modalBody = 'Requests signed with this key fail from now on. This cannot be undone.';
  }

  return (
    <SpaceBetween size="l">
      {issued !== undefined && (
        <TokenReveal
          header={`Token created for ${account.name}`}
          token={issued}
          onDismiss={() => setIssued(undefined)}
        />
      )}
      <ResourceTable
        variant="section"
        title={`API tokens of ${account.name}`}
        resourceName="tokens"
        items={tokens.data}
        loading={tokens.loading}
        error={tokens.error}
        onRetry={tokens.reload}
        columns={tokenColumns}
        trackBy="tokenId"
        empty="This account has no API tokens."
        actions={
          <Button
            onClick={() => {
              setTokenName('');
              setPending({ kind: 'issue' });
            }}
          >
            Create token
          </Button>
        }
      />
      <ResourceTable
        variant="section"
        title={`Access keys of ${account.name}`}
        resourceName="access keys"
        description="For the AWS-compatible API; their owner creates them, and the secret is never shown again."
        items={keys.data}
        loading={keys.loading}
        error={keys.error}
        onRetry={keys.reload}
        columns={keyColumns}
        trackBy="accessKeyId"
        empty="This account has no access keys."
      />
      <ConfirmModal
        visible={pending !== undefined}
        header={modalHeader}
        confirmLabel={confirmLabel}
        busy={busy}
        confirmDisabled={pending?.kind === 'issue' && tokenNameError !== undefined}
        onConfirm={() => void run()}
        onDismiss={() => setPending(undefined)}
      >
        {modalBody}
      </ConfirmModal>
    </SpaceBetween>
  );
}
