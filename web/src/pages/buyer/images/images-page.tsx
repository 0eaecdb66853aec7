import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';

import type { ApiClient } from '../../../api/api-client.js';
import {
  exportLinks,
  listPrivateBuilds,
  listPrivateImages,
  type ImageMetadata,
  type PrivateBuild,
} from '../../../api/buyer-images-api.js';
import { launchInstance } from '../../../api/buyer-instances-api.js';
import { routerPath } from '../../../app/console-paths.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';
import { instanceHref } from '../buyer-links.js';

/** A private image with the build that made it: its name, fulfillment option and tags. */
interface OwnedImage {
  readonly image: ImageMetadata;
  readonly build: PrivateBuild | undefined;
  readonly name: string;
  readonly fulfillment: string;
}

async function loadOwnedImages(client: ApiClient): Promise<OwnedImage[]> {
  const [images, builds] = await Promise.all([
    listPrivateImages(client),
    listPrivateBuilds(client),
  ]);
  return images.map((image) => {
    const build = builds.find((b) => b.destinationImage.id === image.id);
    return {
      image,
      build,
      name: build?.destinationImage.name ?? image.id,
      fulfillment: build?.fulfillmentOptionIds.join(', ') ?? '-',
    };
  });
}

/** The buyer's private images: details, exports and Launch. */
export function ImagesPage(): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const navigate = useNavigate();
  const images = useApiQuery(loadOwnedImages);
  const [selectedId, setSelectedId] = useState<string>();
  const [launching, setLaunching] = useState(false);
  const [command, setCommand] = useState('');
  const [busy, setBusy] = useState(false);
  const { items, collectionProps, filterProps, filteredItemsCount, paginationProps, actions } =
    useCollection(images.data ?? [], {
      filtering: {
        filteringFunction: (item, text) =>
          `${item.image.id} ${item.name} ${item.fulfillment} ${item.image.osVersion}`
            .toLowerCase()
            .includes(text.toLowerCase()),
        empty: <Box textAlign="center">No private images yet. Build one from a product.</Box>,
        noMatch: (
          <Box textAlign="center">
            No private images match the filter.{' '}
            <Button onClick={() => actions.setFiltering('')}>Clear filter</Button>
          </Box>
        ),
      },
      pagination: { pageSize: 20 },
      sorting: {},
    });
  const selected = images.data?.find((item) => item.image.id === selectedId);

  const launch = (): void => {
    if (selected === undefined) return;
    setBusy(true);
    // The command runs in the image's shell, as typed.
    const argv = command.trim() === '' ? undefined : ['/bin/sh', '-c', command];
    launchInstance(client, selected.image.id, argv).then(
      (instance) => navigate(routerPath(instanceHref(instance.id))),
      (error: unknown) => {
        setBusy(false);
        setLaunching(false);
        notifyError(`Could not launch ${selected.name}`, error);
      },
    );
  };

  return (
    <SpaceBetween size="l">
      {images.error !== undefined && (
        <ApiErrorAlert
          header="Could not load private images"
          error={images.error}
          onRetry={images.reload}
        />
      )}
      <Table<OwnedImage>
        {...collectionProps}
        items={items}
        trackBy={(item) => item.image.id}
        selectionType="single"
        selectedItems={selected === undefined ? [] : [selected]}
        onSelectionChange={(event) => setSelectedId(event.detail.selectedItems[0]?.image.id)}
        loading={images.loading && images.data === undefined}
        loadingText="Loading private images"
        variant="full-page"
        ariaLabels={{
          tableLabel: 'Images (Owned by me)',
          selectionGroupLabel: 'Private images',
          itemSelectionLabel: (_, item) => `Select ${item.name}`,
          allItemsSelectionLabel: () => 'Select all',
        }}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={images.data === undefined ? undefined : `(${images.data.length})`}
            description="Private images your builds made; only you can see, export and launch them."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel="Refresh images" onClick={images.reload} />
                <ButtonDropdown
                  disabled={selected === undefined}
                  items={
                    selected === undefined
                      ? []
                      : exportLinks(selected.image.id).map((link) => ({
                          id: link.label,
                          text: link.label,
                          href: link.href,
                          external: true,
                        }))
                  }
                >
                  Export
                </ButtonDropdown>
                <Button
                  variant="primary"
                  disabled={selected === undefined}
                  onClick={() => setLaunching(true)}
                >
                  Launch
                </Button>
              </SpaceBetween>
            }
          >
            Images (Owned by me)
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringPlaceholder="Find private images"
            filteringAriaLabel="Filter private images"
            countText={
              filterProps.filteringText === '' ? undefined : `${filteredItemsCount ?? 0} matches`
            }
          />
        }
        pagination={<Pagination {...paginationProps} />}
        columnDefinitions={[
          {
            id: 'name',
            header: 'Name',
            cell: (item) => item.name,
            sortingField: 'name',
            isRowHeader: true,
          },
          { id: 'id', header: 'Image ID', cell: (item) => item.image.id },
          { id: 'fulfillment', header: 'Fulfillment option', cell: (item) => item.fulfillment },
          { id: 'os', header: 'OS', cell: (item) => item.image.osVersion },
          {
            id: 'created',
            header: 'Created',
            cell: (item) => new Date(item.image.createdAt).toLocaleString(),
            sortingComparator: (a, b) => a.image.createdAt.localeCompare(b.image.createdAt),
          },
        ]}
      />
      {selected !== undefined && <ImageDetails item={selected} />}
      <ConfirmModal
        visible={launching}
        header={`Launch ${selected?.name ?? ''}`}
        confirmLabel="Launch instance"
        busy={busy}
        onConfirm={launch}
        onDismiss={() => setLaunching(false)}
      >
        <FormField
          label={
            <>
              Command <i>- optional</i>
            </>
          }
          description="Run by /bin/sh -c in the instance; without one the image's init runs."
        >
          <Input
            value={command}
            ariaLabel="Command"
            placeholder="echo hello; sleep 600"
            onChange={(event) => setCommand(event.detail.value)}
          />
        </FormField>
      </ConfirmModal>
    </SpaceBetween>
  );
}

function ImageDetails({ item }: { item: OwnedImage }): JSX.Element {
  const build = item.build;
  const tags = build === undefined ? [] : Object.entries(build.tags);
  return (
    <Container header={<Header variant="h2">{`Details: ${item.name}`}</Header>}>
      <KeyValuePairs
        columns={3}
        items={[
          { label: 'Image ID', value: item.image.id },
          { label: 'Description', value: build?.destinationImage.description ?? '-' },
          { label: 'OS version', value: item.image.osVersion },
          { label: 'Source image', value: item.image.parentImageId ?? '-' },
          { label: 'Fulfillment option', value: item.fulfillment },
          {
            label: 'Products',
            value: build?.products.map((p) => `${p.title} ${p.version}`).join(', ') || '-',
          },
          {
            label: 'Tags',
            value: tags.length === 0 ? '-' : tags.map(([k, v]) => `${k}=${v}`).join(', '),
          },
          { label: 'Build', value: build?.id ?? '-' },
          {
            label: 'Exports',
            value: (
              <SpaceBetween direction="horizontal" size="s">
                {exportLinks(item.image.id).map((link) => (
                  <Link key={link.label} href={link.href} external>
                    {link.label}
                  </Link>
                ))}
              </SpaceBetween>
            ),
          },
        ]}
      />
    </Container>
  );
}
