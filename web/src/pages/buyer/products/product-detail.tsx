import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';

import type { ApiClient } from '../../../api/api-client.js';
import {
  getProduct,
  listSubscriptions,
  subscribe,
  type FulfillmentOption,
  type ProductVersion,
} from '../../../api/buyer-catalog-api.js';
import { consoleHref, routerPath } from '../../../app/console-paths.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';
import { createPrivateImageHref } from '../buyer-links.js';

interface OptionRow {
  readonly version: ProductVersion;
  readonly option: FulfillmentOption;
}

/** A product's page: its description, versions and fulfillment options, and Subscribe. */
export function ProductDetail({ productId }: { productId: string }): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const navigate = useNavigate();
  const load = useCallback(
    async (api: ApiClient) => {
      const [product, subscriptions] = await Promise.all([
        getProduct(api, productId),
        listSubscriptions(api),
      ]);
      return { product, subscribed: subscriptions.some((s) => s.productId === productId) };
    },
    [productId],
  );
  const query = useApiQuery(load);
  const [confirming, setConfirming] = useState(false);
  const [subscribing, setSubscribing] = useState(false);

  if (query.data === undefined) {
    return query.error === undefined ? (
      <Box padding="l">
        <Spinner /> Loading the product
      </Box>
    ) : (
      <ApiErrorAlert
        header="Could not load the product"
        error={query.error}
        onRetry={query.reload}
      />
    );
  }
  const { product, subscribed } = query.data;
  const rows: OptionRow[] = product.versions.flatMap((version) =>
    version.fulfillmentOptions.map((option) => ({ version, option })),
  );
  const firstOption = rows[0]?.option.id;

  const confirmSubscribe = (): void => {
    setSubscribing(true);
    subscribe(client, product.id).then(
      () => {
        setSubscribing(false);
        setConfirming(false);
        query.reload();
      },
      (error: unknown) => {
        setSubscribing(false);
        setConfirming(false);
        notifyError(`Could not subscribe to ${product.title}`, error);
      },
    );
  };

  return (
    <ContentLayout
      header={
        <SpaceBetween size="xs">
          <BreadcrumbGroup
            ariaLabel="Breadcrumbs"
            items={[
              { text: 'Products search', href: consoleHref('buyer/products') },
              { text: product.title, href: '#' },
            ]}
            onFollow={(event) => {
              event.preventDefault();
              if (event.detail.href !== '#') navigate(routerPath(event.detail.href));
            }}
          />
          <Header
            variant="h1"
            description={product.shortDescription}
            actions={
              subscribed ? (
                <SpaceBetween direction="horizontal" size="xs" alignItems="center">
                  <StatusIndicator type="success">Subscribed</StatusIndicator>
                  <Button
                    variant="primary"
                    disabled={firstOption === undefined}
                    onClick={() => navigate(routerPath(createPrivateImageHref(firstOption)))}
                  >
                    Create new private image
                  </Button>
                </SpaceBetween>
              ) : (
                <Button variant="primary" onClick={() => setConfirming(true)}>
                  Subscribe
                </Button>
              )
            }
          >
            {product.title}
          </Header>
        </SpaceBetween>
      }
    >
      <SpaceBetween size="l">
        {query.error !== undefined && (
          <ApiErrorAlert
            header="Could not reload the product"
            error={query.error}
            onRetry={query.reload}
          />
        )}
        <Container header={<Header variant="h2">Overview</Header>}>
          <SpaceBetween size="l">
            <Box>{product.longDescription}</Box>
            <KeyValuePairs
              columns={3}
              items={[
                { label: 'Vendor', value: product.vendorName },
                { label: 'Categories', value: product.categories.join(', ') || '-' },
                { label: 'Support', value: product.supportContact },
                {
                  label: 'End user license agreement',
                  value: (
                    <Link href={product.eulaUrl} external>
                      EULA
                    </Link>
                  ),
                },
                { label: 'Highlights', value: product.highlights.join('; ') || '-' },
                { label: 'Usage instructions', value: product.usageInstructions || '-' },
              ]}
            />
          </SpaceBetween>
        </Container>
        <Table<OptionRow>
          items={rows}
          trackBy={(row) => row.option.id}
          ariaLabels={{ tableLabel: 'Versions and fulfillment options' }}
          header={
            <Header
              variant="h2"
              counter={`(${rows.length})`}
              description="Each option installs the version onto an image you choose."
            >
              Versions and fulfillment options
            </Header>
          }
          columnDefinitions={[
            {
              id: 'version',
              header: 'Version',
              cell: (row) => row.version.version,
              isRowHeader: true,
            },
            { id: 'option', header: 'Fulfillment option', cell: (row) => row.option.id },
            { id: 'method', header: 'Delivery method', cell: () => 'Private image build' },
            {
              id: 'os',
              header: 'Operating systems',
              cell: (row) => row.option.osVersions.join(', '),
            },
            {
              id: 'notes',
              header: 'Release notes',
              cell: (row) => row.version.releaseNotes || '-',
            },
            {
              id: 'build',
              header: 'Actions',
              cell: (row) =>
                subscribed ? (
                  <Button
                    variant="inline-link"
                    ariaLabel={`Create new private image with ${row.option.id}`}
                    onClick={() => navigate(routerPath(createPrivateImageHref(row.option.id)))}
                  >
                    Create new private image
                  </Button>
                ) : (
                  'Subscribe first'
                ),
            },
          ]}
          empty={<Box textAlign="center">This product has no fulfillment options for you.</Box>}
        />
      </SpaceBetween>
      <ConfirmModal
        visible={confirming}
        header={`Subscribe to ${product.title}`}
        confirmLabel="Accept terms and subscribe"
        busy={subscribing}
        onConfirm={confirmSubscribe}
        onDismiss={() => setConfirming(false)}
      >
        <Alert type="info">
          Subscribing accepts the product’s{' '}
          <Link href={product.eulaUrl} external>
            end user license agreement
          </Link>
          . You can then build private images with its fulfillment options.
        </Alert>
      </ConfirmModal>
    </ContentLayout>
  );
}
