import Button from '@cloudscape-design/components/button';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';

import type { ApiClient } from '../../../api/api-client.js';
import {
  listSellerProducts,
  makeOptionPublic,
  type FulfillmentOption,
} from '../../../api/publishing-api.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';

/** One fulfillment option with its product and version: the table's row. */
interface OptionRow extends FulfillmentOption {
  readonly productTitle: string;
  readonly version: string;
  readonly osList: string;
}

async function loadRows(client: ApiClient): Promise<OptionRow[]> {
  const products = await listSellerProducts(client);
  return products.flatMap((product) =>
    product.versions.flatMap((version) =>
      version.fulfillmentOptions.map((option) => ({
        ...option,
        productTitle: product.title,
        version: version.version,
        osList: option.osVersions.join(', '),
      })),
    ),
  );
}

function columns(onMakePublic: (row: OptionRow) => void): TableProps.ColumnDefinition<OptionRow>[] {
  return [
    {
      id: 'product',
      header: 'Product',
      cell: (r) => r.productTitle,
      sortingField: 'productTitle',
      isRowHeader: true,
    },
    { id: 'version', header: 'Version', cell: (r) => r.version, sortingField: 'version' },
    {
      id: 'packageGroup',
      header: 'Package group',
      cell: (r) => r.packageGroupName,
      sortingField: 'packageGroupName',
    },
    { id: 'os', header: 'OS versions', cell: (r) => r.osList },
    {
      id: 'visibility',
      header: 'Visibility',
      cell: (r) =>
        r.visibility === 'public' ? (
          <StatusIndicator type="success">Public</StatusIndicator>
        ) : (
          <StatusIndicator type="stopped">
            Limited
            {r.testAccountIds.length === 0
              ? ''
              : ` (${r.testAccountIds.length} test account${r.testAccountIds.length === 1 ? '' : 's'})`}
          </StatusIndicator>
        ),
      sortingField: 'visibility',
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: (r) =>
        r.visibility === 'limited' ? (
          <Button
            variant="inline-link"
            ariaLabel={`Make ${r.productTitle} ${r.version} ${r.packageGroupName} public`}
            onClick={() => onMakePublic(r)}
          >
            Make public
          </Button>
        ) : (
          '-'
        ),
    },
  ];
}

/** The seller's products, their versions and fulfillment options; limited ones can go public. */
export function ProductsPage(): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const options = useApiQuery(loadRows);
  const [confirming, setConfirming] = useState<OptionRow>();
  const [busy, setBusy] = useState(false);

  const makePublic = (row: OptionRow): void => {
    setBusy(true);
    makeOptionPublic(client, row.id).then(
      () => {
        setBusy(false);
        setConfirming(undefined);
        options.reload();
      },
      (error: unknown) => {
        setBusy(false);
        setConfirming(undefined);
        notifyError(`Could not make ${row.packageGroupName} public`, error);
      },
    );
  };

  return (
    <>
      <ResourceTable
        title="Products"
        resourceName="fulfillment options"
        description="Your published products, one row per version and fulfillment option. Limited options are visible to you and your test accounts only."
        items={options.data}
        loading={options.loading}
        error={options.error}
        onRetry={options.reload}
        columns={columns(setConfirming)}
        trackBy="id"
        empty="No products yet. Submit a load form under File upload; products appear once it is published."
        actions={
          <Button iconName="refresh" loading={options.loading} onClick={options.reload}>
            Refresh
          </Button>
        }
      />
      {confirming !== undefined && (
        <ConfirmModal
          visible
          header="Make fulfillment option public"
          closeAriaLabel="Close"
          confirmLabel="Make public"
          busy={busy}
          onConfirm={() => makePublic(confirming)}
          onDismiss={() => setConfirming(undefined)}
        >
          Every buyer will find {confirming.productTitle} {confirming.version} (
          {confirming.packageGroupName}) in the catalog. This cannot be undone.
        </ConfirmModal>
      )}
    </>
  );
}
