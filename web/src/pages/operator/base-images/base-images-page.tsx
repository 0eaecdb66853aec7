import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';

import {
  loadBaseImages,
  refreshBaseImage,
  type BaseImage,
  type OsVersion,
} from '../../../api/operator-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { formatDate } from '../../../components/format-date.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';

/** The packages the recipe adds to Debian's minimal base, when the recipe lists them. */
function requestedPackages(base: BaseImage): string {
  const packages = base.recipe['packages'];
  return Array.isArray(packages) ? String(packages.length) : '-';
}

/** A digest short enough for a table cell; the full one is in its title. */
function shortDigest(digest: string | null): JSX.Element {
  if (digest === null) return <>-</>;
  return (
    <span title={digest}>
      <Box variant="code">{digest.length > 23 ? `${digest.slice(0, 23)}…` : digest}</Box>
    </span>
  );
}

/** Each OS version's base image, its history, and a rebuild from the current archive. */
export function BaseImagesPage(): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const bases = useApiQuery(loadBaseImages);
  const [asking, setAsking] = useState<OsVersion>();
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState<{ osVersion: string; jobId: string }[]>([]);

  const refresh = async (os: OsVersion) => {
    setBusy(true);
    try {
      const jobId = await refreshBaseImage(client, os.id);
      setQueued((all) => [...all, { osVersion: os.id, jobId }]);
    } catch (error) {
      notifyError(`Could not refresh the ${os.id} base image`, error);
    } finally {
      setBusy(false);
      setAsking(undefined);
    }
  };

  const osColumns: TableProps.ColumnDefinition<OsVersion>[] = [
    { id: 'id', header: 'OS version', cell: (o) => o.id, sortingField: 'id', isRowHeader: true },
    { id: 'name', header: 'Name', cell: (o) => o.name, sortingField: 'name' },
    {
      id: 'state',
      header: 'Base image',
      cell: (o) =>
        queued.some((q) => q.osVersion === o.id) ? (
          <StatusIndicator type="in-progress">Refresh queued</StatusIndicator>
        ) : o.baseImageId === null ? (
          <StatusIndicator type="pending">Built on first use</StatusIndicator>
        ) : (
          <StatusIndicator type="success">{o.baseImageId}</StatusIndicator>
        ),
    },
    { id: 'digest', header: 'Root digest', cell: (o) => shortDigest(o.baseDigest) },
    {
      id: 'created',
      header: 'Created',
      cell: (o) => formatDate(o.baseCreatedAt),
      sortingField: 'baseCreatedAt',
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: (o) => (
        <Button ariaLabel={`Refresh ${o.id}`} onClick={() => setAsking(o)}>
          Refresh
        </Button>
      ),
    },
  ];

  const historyColumns: TableProps.ColumnDefinition<BaseImage>[] = [
    {
      id: 'imageId',
      header: 'Image',
      cell: (b) => b.imageId,
      sortingField: 'imageId',
      isRowHeader: true,
    },
    { id: 'os', header: 'OS version', cell: (b) => b.osVersion, sortingField: 'osVersion' },
    { id: 'digest', header: 'Root digest', cell: (b) => shortDigest(b.rootDigest) },
    { id: 'packages', header: 'Added packages', cell: requestedPackages },
    {
      id: 'created',
      header: 'Created',
      cell: (b) => formatDate(b.createdAt),
      sortingField: 'createdAt',
    },
  ];

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Every build starts from the newest base image of its OS version. A refresh rebuilds it from the current Debian archive (about a minute) on a build worker."
          actions={
            <Button iconName="refresh" loading={bases.loading} onClick={bases.reload}>
              Reload
            </Button>
          }
        >
          Base images
        </Header>
      }
    >
      <SpaceBetween size="l">
        {queued.map((q) => (
          <Alert
            key={q.jobId}
            type="info"
            dismissible
            onDismiss={() => setQueued((all) => all.filter((x) => x.jobId !== q.jobId))}
          >
            The {q.osVersion} refresh is queued as job {q.jobId}. Reload to see the new base image
            once a worker has built it.
          </Alert>
        ))}
        {bases.error !== undefined && (
          <ApiErrorAlert
            header="Could not load base images"
            error={bases.error}
            onRetry={bases.reload}
          />
        )}
        <ResourceTable
          variant="section"
          title="OS versions"
          resourceName="OS versions"
          items={bases.data?.osVersions}
          loading={bases.loading}
          columns={osColumns}
          trackBy="id"
          empty="The catalog has no OS versions."
        />
        <ResourceTable
          variant="section"
          title="Base image history"
          resourceName="base images"
          description="Every base image made, newest first."
          items={bases.data?.baseImages}
          loading={bases.loading}
          columns={historyColumns}
          trackBy="imageId"
          empty="No base image has been built yet; the first build of an OS version makes one."
        />
      </SpaceBetween>
      <ConfirmModal
        visible={asking !== undefined}
        header={`Refresh the ${asking?.id ?? ''} base image?`}
        confirmLabel="Refresh base image"
        busy={busy}
        onConfirm={() => asking !== undefined && void refresh(asking)}
        onDismiss={() => setAsking(undefined)}
      >
        A build worker rebuilds the base from the current archive, which gives it a new digest.
        Builds submitted afterwards start from the new base; earlier images keep theirs.
      </ConfirmModal>
    </ContentLayout>
  );
}
