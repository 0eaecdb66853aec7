import type { TableProps } from '@cloudscape-design/components/table';
import Button from '@cloudscape-design/components/button';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useSearchParams } from 'react-router-dom';

import { listInstances, type Instance } from '../../../api/buyer-instances-api.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { BuyerLink } from '../buyer-link.js';
import { instanceHref } from '../buyer-links.js';
import { INSTANCE_STATE } from '../buyer-states.js';
import { useLiveRefresh } from '../use-live-refresh.js';
import { InstanceDetail } from './instance-detail.js';

const COLUMNS: TableProps.ColumnDefinition<Instance>[] = [
  {
    id: 'id',
    header: 'Instance ID',
    cell: (instance) => <BuyerLink href={instanceHref(instance.id)}>{instance.id}</BuyerLink>,
    sortingField: 'id',
    isRowHeader: true,
  },
  {
    id: 'state',
    header: 'Instance state',
    cell: (instance) => (
      <StatusIndicator type={INSTANCE_STATE[instance.state].type}>
        {INSTANCE_STATE[instance.state].label}
      </StatusIndicator>
    ),
    sortingField: 'state',
  },
  {
    id: 'image',
    header: 'Image ID',
    cell: (instance) => instance.imageId,
    sortingField: 'imageId',
  },
  {
    id: 'command',
    header: 'Command',
    cell: (instance) =>
      instance.defaultCommand ? 'Image init' : (instance.command ?? []).join(' '),
  },
  {
    id: 'launched',
    header: 'Launched',
    cell: (instance) => new Date(instance.launchedAt).toLocaleString(),
    sortingField: 'launchedAt',
  },
];

/** The buyer's instances, or one instance and its console when `?instanceId=` names it. */
export function InstancesPage(): JSX.Element {
  const [params] = useSearchParams();
  const instanceId = params.get('instanceId');
  return instanceId === null ? <InstancesList /> : <InstanceDetail instanceId={instanceId} />;
}

function InstancesList(): JSX.Element {
  const instances = useApiQuery(listInstances);
  useLiveRefresh(
    instances.data?.some((i) => i.state === 'pending' || i.state === 'stopping') === true,
    instances.reload,
  );
  return (
    <ResourceTable
      title="Instances"
      resourceName="instances"
      description="Your images launched on the Goldsmith host."
      items={instances.data}
      loading={instances.loading}
      error={instances.error}
      onRetry={instances.reload}
      columns={COLUMNS}
      trackBy="id"
      empty="No instances. Launch one from Images (Owned by me)."
      actions={
        <Button iconName="refresh" ariaLabel="Refresh instances" onClick={instances.reload} />
      }
    />
  );
}
