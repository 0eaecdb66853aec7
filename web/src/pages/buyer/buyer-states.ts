import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';

import type { PrivateBuildStatus } from '../../api/buyer-images-api.js';
import type { InstanceState } from '../../api/buyer-instances-api.js';

/** How each private image build status shows. */
export const BUILD_STATUS: Record<
  PrivateBuildStatus,
  { type: StatusIndicatorProps.Type; label: string }
> = {
  InProgress: { type: 'in-progress', label: 'In progress' },
  Succeeded: { type: 'success', label: 'Succeeded' },
  Failed: { type: 'error', label: 'Failed' },
  InternalError: { type: 'warning', label: 'Internal error' },
};

/** How each instance state shows. */
export const INSTANCE_STATE: Record<
  InstanceState,
  { type: StatusIndicatorProps.Type; label: string }
> = {
  pending: { type: 'pending', label: 'Pending' },
  running: { type: 'success', label: 'Running' },
  stopping: { type: 'in-progress', label: 'Stopping' },
  stopped: { type: 'stopped', label: 'Stopped' },
  terminated: { type: 'stopped', label: 'Terminated' },
};

/** How often pages with something in progress reload, in milliseconds. */
export const LIVE_REFRESH_MS = 2000;
