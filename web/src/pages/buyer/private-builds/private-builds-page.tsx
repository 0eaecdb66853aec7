import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';
import { useNavigate, useSearchParams } from 'react-router-dom';

import { listPrivateBuilds, type PrivateBuild } from '../../../api/buyer-images-api.js';
import { routerPath } from '../../../app/console-paths.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { createPrivateImageHref } from '../buyer-links.js';
import { BUILD_STATUS } from '../buyer-states.js';
import { useLiveRefresh } from '../use-live-refresh.js';
import { CreatePrivateImageForm } from './create-private-image-form.js';

const COLUMNS: TableProps.ColumnDefinition<PrivateBuild>[] = [
  {
    id: 'name',
    header: 'Destination image name',
    cell: (build) => build.destinationImage.name,
    sortingComparator: (a, b) => a.destinationImage.name.localeCompare(b.destinationImage.name),
    isRowHeader: true,
  },
  { id: 'id', header: 'Build ID', cell: (build) => build.id, sortingField: 'id' },
  {
    id: 'status',
    header: 'Status',
    cell: (build) => (
      <StatusIndicator type={BUILD_STATUS[build.status].type}>
        {BUILD_STATUS[build.status].label}
      </StatusIndicator>
    ),
    sortingField: 'status',
  },
  {
    id: 'error',
    header: 'Error details',
    cell: (build) =>
      build.errorDetail === null ? (
        '-'
      ) : (
        <Box variant="span" color="text-status-error">
          {build.errorDetail.message} <code>{build.errorDetail.code}</code>
        </Box>
      ),
  },
  {
    id: 'products',
    header: 'Products',
    cell: (build) =>
      build.products.map((p) => `${p.title} ${p.version}`).join(', ') ||
      build.fulfillmentOptionIds.join(', '),
  },
  { id: 'source', header: 'Source image', cell: (build) => build.sourceImageId },
  {
    id: 'image',
    header: 'Private image',
    cell: (build) => build.destinationImage.id ?? '-',
  },
  {
    id: 'logs',
    header: 'Logs',
    cell: (build) => (
      <SpaceBetween direction="horizontal" size="xs">
        <Link href={build.standardOutputUrl} external ariaLabel={`stdout of ${build.id}`}>
          stdout
        </Link>
        <Link href={build.standardErrorUrl} external ariaLabel={`stderr of ${build.id}`}>
          stderr
        </Link>
      </SpaceBetween>
    ),
  },
  {
    id: 'startTime',
    header: 'Started',
    cell: (build) => new Date(build.startTime).toLocaleString(),
    sortingField: 'startTime',
  },
];

/** The buyer's private image builds (live while any is in progress), or the create form. */
export function PrivateBuildsPage(): JSX.Element {
  const [params] = useSearchParams();
  if (params.get('create') !== null) {
    return <CreatePrivateImageForm optionId={params.get('optionId')} />;
  }
  return <PrivateBuildsList />;
}

function PrivateBuildsList(): JSX.Element {
  const navigate = useNavigate();
  const builds = useApiQuery(listPrivateBuilds);
  useLiveRefresh(
    builds.data?.some((build) => build.status === 'InProgress') === true,
    builds.reload,
  );
  return (
    <ResourceTable
      title="Private images builds"
      resourceName="private image builds"
      description="Builds that install a product onto an image; the list follows builds in progress."
      items={builds.data}
      loading={builds.loading}
      error={builds.error}
      onRetry={builds.reload}
      columns={COLUMNS}
      trackBy="id"
      empty="No private image builds yet. Create one from a product you subscribe to."
      actions={
        <SpaceBetween direction="horizontal" size="xs">
          <Button iconName="refresh" ariaLabel="Refresh builds" onClick={builds.reload} />
          <Button variant="primary" onClick={() => navigate(routerPath(createPrivateImageHref()))}>
            Create new private image
          </Button>
        </SpaceBetween>
      }
    />
  );
}
