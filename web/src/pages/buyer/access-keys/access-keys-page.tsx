import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';

import {
  createAccessKey,
  deleteAccessKey,
  listAccessKeys,
  type AccessKey,
} from '../../../api/buyer-instances-api.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';

/** Access keys for the AWS-compatible API: list, create (secret shown once) and delete. */
export function AccessKeysPage(): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const keys = useApiQuery(listAccessKeys);
  const [created, setCreated] = useState<Required<AccessKey>>();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = (): void => {
    setCreating(true);
    createAccessKey(client).then(
      (key) => {
        setCreating(false);
        setCreated(key);
        keys.reload();
      },
      (error: unknown) => {
        setCreating(false);
        notifyError('Could not create an access key', error);
      },
    );
  };
  const remove = (accessKeyId: string): void => {
    setBusy(true);
    deleteAccessKey(client, accessKeyId).then(
      () => {
        setBusy(false);
        setDeleting(undefined);
        if (created?.accessKeyId === accessKeyId) setCreated(undefined);
        keys.reload();
      },
      (error: unknown) => {
        setBusy(false);
        setDeleting(undefined);
        notifyError(`Could not delete ${accessKeyId}`, error);
      },
    );
  };

  const columns: TableProps.ColumnDefinition<AccessKey>[] = [
    {
      id: 'id',
      header: 'Access key ID',
      cell: (key) => key.accessKeyId,
      sortingField: 'accessKeyId',
      isRowHeader: true,
    },
    {
      id: 'created',
      header: 'Created',
      cell: (key) => new Date(key.createdAt).toLocaleString(),
      sortingField: 'createdAt',
    },
    {
      id: 'used',
      header: 'Last used',
      cell: (key) =>
        key.lastUsedAt === null ? 'Never' : new Date(key.lastUsedAt).toLocaleString(),
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: (key) => (
        <Button
          variant="inline-link"
          ariaLabel={`Delete ${key.accessKeyId}`}
          onClick={() => setDeleting(key.accessKeyId)}
        >
          Delete
        </Button>
      ),
    },
  ];

  return (
    <SpaceBetween size="l">
      {created !== undefined && (
        <Alert
          type="success"
          header="Access key created"
          dismissible
          dismissAriaLabel="Dismiss the new access key"
          onDismiss={() => setCreated(undefined)}
        >
          <SpaceBetween size="s">
            <Alert type="warning">
              This is the only time the secret access key can be viewed or copied. Save it now; you
              cannot recover it later, only create a new key.
            </Alert>
            <KeyValuePairs
              columns={2}
              items={[
                {
                  label: 'Access key ID',
                  value: (
                    <CopyToClipboard
                      variant="inline"
                      textToCopy={created.accessKeyId}
                      copyButtonAriaLabel="Copy access key ID"
                      copySuccessText="Access key ID copied"
                      copyErrorText="Access key ID not copied"
                    />
                  ),
                },
                {
                  label: 'Secret access key',
                  value: (
                    <CopyToClipboard
                      variant="inline"
                      textToCopy={created.secretAccessKey}
                      copyButtonAriaLabel="Copy secret access key"
                      copySuccessText="Secret access key copied"
                      copyErrorText="Secret access key not copied"
                    />
                  ),
                },
              ]}
            />
          </SpaceBetween>
        </Alert>
      )}
      <ResourceTable
        title="Access keys"
        resourceName="access keys"
        description="Keys that sign requests (SigV4) to Goldsmith's AWS-compatible API."
        items={keys.data}
        loading={keys.loading}
        error={keys.error}
        onRetry={keys.reload}
        columns={columns}
        trackBy="accessKeyId"
        empty="No access keys."
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh access keys" onClick={keys.reload} />
            <Button variant="primary" loading={creating} onClick={create}>
              Create access key
            </Button>
          </SpaceBetween>
        }
      />
      <ConfirmModal
        visible={deleting !== undefined}
        header="Delete access key?"
        confirmLabel="Delete"
        busy={busy}
        onConfirm={() => deleting !== undefined && remove(deleting)}
        onDismiss={() => setDeleting(undefined)}
      >
        Requests signed with {deleting} will be refused from now on.
      </ConfirmModal>
    </SpaceBetween>
  );
}
