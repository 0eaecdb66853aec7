import Button from '@cloudscape-design/components/button';
import StatusIndicator, {
  type StatusIndicatorProps,
} from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';

import type { BuildState, PackageGroup } from '../../../api/api-types.js';
import { listPackageGroups } from '../../../api/package-groups-api.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';

// The five states of docs: Building and Scanning are in progress, the rest final.
const STATES: Record<BuildState, { type: StatusIndicatorProps.Type; label: string }> = {
  Building: { type: 'in-progress', label: 'Building' },
  Scanning: { type: 'in-progress', label: 'Scanning' },
  Successful: { type: 'success', label: 'Successful' },
  IssuesFound: { type: 'error', label: 'Issues found' },
  Investigating: { type: 'warning', label: 'Investigating' },
};

const COLUMNS: TableProps.ColumnDefinition<PackageGroup>[] = [
  {
    id: 'name',
    header: 'Package group',
    cell: (group) => group.name,
    sortingField: 'name',
    isRowHeader: true,
  },
  {
    id: 'state',
    header: 'Status',
    cell: (group) => (
      <StatusIndicator type={STATES[group.state].type}>{STATES[group.state].label}</StatusIndicator>
    ),
    sortingField: 'state',
  },
  {
    id: 'osVersions',
    header: 'Operating systems',
    cell: (group) => group.osVersions.join(', '),
  },
  {
    id: 'createdAt',
    header: 'Submitted',
    cell: (group) => new Date(group.createdAt).toLocaleString(),
    sortingField: 'createdAt',
  },
];

/** The seller's package groups and the state of their builds and scans. */
export function ScanStatusPage(): JSX.Element {
  const groups = useApiQuery(listPackageGroups);
  return (
    <ResourceTable
      title="Scan status"
      resourceName="package groups"
      description="Each package group is built and scanned on every OS version it names."
      items={groups.data}
      loading={groups.loading}
      error={groups.error}
      onRetry={groups.reload}
      columns={COLUMNS}
      trackBy="id"
      empty={
        <>
          No package groups yet. Submit one under Manage packages or with{' '}
          <code>goldsmith package-group create</code>.
        </>
      }
      actions={
        <Button iconName="refresh" loading={groups.loading} onClick={groups.reload}>
          Refresh status
        </Button>
      }
    />
  );
}
