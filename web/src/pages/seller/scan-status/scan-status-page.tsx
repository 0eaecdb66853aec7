import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, {
  type StatusIndicatorProps,
} from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';

import type { BuildState } from '../../../api/api-types.js';
import {
  listPackageGroupDetails,
  type OsBuild,
  type PackageGroupDetail,
} from '../../../api/seller-build-api.js';
import { consoleHref, routerPath } from '../../../app/console-paths.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { startPackagePath } from '../packages/manage-packages-page.js';
import { imageDetailsPath } from '../image-details/image-details-page.js';
import { BuildFindingsPopover } from './build-findings-popover.js';

// The states of docs: Building and Scanning are in progress, the rest final.
const STATES: Record<BuildState, { type: StatusIndicatorProps.Type; label: string }> = {
  Building: { type: 'in-progress', label: 'Building' },
  Scanning: { type: 'in-progress', label: 'Scanning' },
  Successful: { type: 'success', label: 'Successful' },
  IssuesFound: { type: 'error', label: 'Issues found' },
  Investigating: { type: 'warning', label: 'Investigating' },
  Cancelled: { type: 'stopped', label: 'Cancelled' },
};

/** How often the page re-reads the groups while a build is still in progress. */
const POLL_MS = 3000;

const isFinal = (state: BuildState) => state !== 'Building' && state !== 'Scanning';
const hasProblem = (state: BuildState) => state === 'IssuesFound' || state === 'Investigating';

/** A row: a package group, or (expanded under it) one of its OS builds. */
type Row =
  | {
      readonly kind: 'group';
      readonly id: string;
      readonly name: string;
      readonly state: BuildState;
      readonly createdAt: string;
      readonly group: PackageGroupDetail;
    }
  | {
      readonly kind: 'build';
      readonly id: string;
      readonly name: string;
      readonly state: BuildState;
      readonly createdAt: string;
      readonly build: OsBuild;
    };

function groupRow(group: PackageGroupDetail): Row {
  return {
    kind: 'group',
    id: group.id,
    name: group.name,
    state: group.state,
    createdAt: group.createdAt,
    group,
  };
}

function buildRows(group: PackageGroupDetail): Row[] {
  return group.builds.map((build) => ({
    kind: 'build',
    id: build.id,
    name: build.osVersion,
    state: build.state,
    createdAt: build.submittedAt,
    build,
  }));
}

function StateCell({ row }: { row: Row }): JSX.Element {
  const problems =
    row.kind === 'group'
      ? row.group.builds.filter((b) => hasProblem(b.state))
      : hasProblem(row.state)
        ? [row.build]
        : [];
  const investigating = row.kind === 'build' ? row.build.investigation : null;
  return (
    <SpaceBetween direction="horizontal" size="xxs" alignItems="center">
      <StatusIndicator type={STATES[row.state].type}>
        {STATES[row.state].label}
        {investigating !== null && ` since ${new Date(investigating.since).toLocaleDateString()}`}
      </StatusIndicator>
      {problems.length > 0 && <BuildFindingsPopover label={row.name} builds={problems} />}
    </SpaceBetween>
  );
}

/** The seller's package groups and, expanded, the state of each OS build and scan. */
export function ScanStatusPage(): JSX.Element {
  const navigate = useNavigate();
  const groups = useApiQuery(listPackageGroupDetails);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const { data, loading, reload } = groups;

  // Live updates: re-read while any build is in progress, so states change without Refresh.
  const inProgress = (data ?? []).some((g) => g.builds.some((b) => !isFinal(b.state)));
  useEffect(() => {
    if (loading || !inProgress) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [loading, inProgress, reload]);

  const rows = useMemo(() => (data ?? []).map(groupRow), [data]);
  const childrenOf = useMemo(
    () => new Map((data ?? []).map((g) => [g.id, buildRows(g)] as const)),
    [data],
  );
  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } =
    useCollection(rows, {
      filtering: {
        empty: (
          <Box textAlign="center" color="inherit" padding={{ vertical: 's' }}>
            {groups.error !== undefined && data === undefined ? (
              'No package groups to show.'
            ) : (
              <>
                No package groups yet. Submit one under Manage packages or with{' '}
                <code>goldsmith package-group create</code>.
              </>
            )}
          </Box>
        ),
        noMatch: (
          <Box textAlign="center" color="inherit" padding={{ vertical: 's' }}>
            No package groups match the filter.{' '}
            <Button onClick={() => actions.setFiltering('')}>Clear filter</Button>
          </Box>
        ),
        fields: ['name'],
      },
      pagination: { pageSize: 20 },
      sorting: {},
    });

  // Builds follow their expanded group; filtering, sorting and pages count groups only. (Table's
  // own expandableRows would make it a treegrid, which the page's table role and label must not.)
  const shown = items.flatMap((row) =>
    expanded.has(row.id) ? [row, ...(childrenOf.get(row.id) ?? [])] : [row],
  );
  const toggle = (id: string) =>
    setExpanded((all) => {
      const next = new Set(all);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const columns: TableProps.ColumnDefinition<Row>[] = [
    {
      id: 'name',
      header: 'Package group',
      cell: (row) =>
        row.kind === 'group' ? (
          <SpaceBetween direction="horizontal" size="xxs" alignItems="center">
            <Button
              variant="inline-icon"
              iconName={expanded.has(row.id) ? 'caret-down-filled' : 'caret-right-filled'}
              ariaLabel={`${expanded.has(row.id) ? 'Hide' : 'Show'} builds of ${row.name}`}
              ariaExpanded={expanded.has(row.id)}
              onClick={() => toggle(row.id)}
            />
            {row.name}
          </SpaceBetween>
        ) : (
          <Box padding={{ left: 'xl' }}>{row.name}</Box>
        ),
      sortingField: 'name',
      isRowHeader: true,
    },
    {
      id: 'state',
      header: 'Status',
      cell: (row) => <StateCell row={row} />,
      sortingField: 'state',
    },
    {
      id: 'imageId',
      header: 'Image ID',
      cell: (row) => {
        if (row.kind === 'group')
          return `${row.group.builds.length} OS build${row.group.builds.length === 1 ? '' : 's'}`;
        const imageId = row.build.imageId;
        if (imageId === null) return '-';
        if (row.state !== 'Successful') return imageId;
        const href = consoleHref(imageDetailsPath(imageId));
        return (
          <Link
            href={href}
            onFollow={(event) => {
              event.preventDefault();
              navigate(routerPath(href));
            }}
          >
            {imageId}
          </Link>
        );
      },
    },
    {
      id: 'createdAt',
      header: 'Submitted',
      cell: (row) => new Date(row.createdAt).toLocaleString(),
      sortingField: 'createdAt',
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: (row) =>
        row.kind === 'group' ? (
          <Button
            variant="inline-link"
            ariaLabel={`Create revision of ${row.name}`}
            onClick={() => navigate(startPackagePath(row.name))}
          >
            Create revision
          </Button>
        ) : null,
    },
  ];

  return (
    <SpaceBetween size="m">
      {groups.error !== undefined && (
        <ApiErrorAlert
          header="Could not load package groups"
          error={groups.error}
          onRetry={groups.reload}
        />
      )}
      <Table
        {...collectionProps}
        items={shown}
        columnDefinitions={columns}
        trackBy="id"
        loading={loading && data === undefined}
        loadingText="Loading package groups"
        variant="full-page"
        ariaLabels={{ tableLabel: 'Scan status' }}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={data === undefined ? undefined : `(${data.length})`}
            description="Each package group is built and scanned on every OS version it names; expand a group to see its builds."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" onClick={reload}>
                  Refresh status
                </Button>
                <Button variant="primary" onClick={() => navigate(startPackagePath())}>
                  Start package
                </Button>
              </SpaceBetween>
            }
          >
            Scan status
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringPlaceholder="Find package groups"
            filteringAriaLabel="Filter package groups"
            countText={
              filterProps.filteringText === '' ? undefined : `${filteredItemsCount ?? 0} matches`
            }
          />
        }
        pagination={<Pagination {...paginationProps} />}
      />
    </SpaceBetween>
  );
}
