import Button from '@cloudscape-design/components/button';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TableProps } from '@cloudscape-design/components/table';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

import type { ApiClient } from '../../../api/api-client.js';
import {
  SUBMISSION_STATES,
  listReviewQueue,
  type SubmissionState,
} from '../../../api/publishing-api.js';
import { consoleHref } from '../../../app/console-paths.js';
import {
  submissionColumns,
  submissionProducts,
  submissionStateLabel,
  type SubmissionRow,
} from '../../../components/load-form-submission-parts.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { ReviewDetail } from './review-detail.js';

const ALL = 'all';
const STATE_OPTIONS: SelectProps.Option[] = [
  { value: ALL, label: 'All states' },
  ...SUBMISSION_STATES.map((state) => ({ value: state, label: submissionStateLabel(state) })),
];

/** A queued submission's row; the products are a field so the text filter finds them. */
interface QueueRow extends SubmissionRow {
  readonly products: string;
}

function columns(open: (id: string) => void): TableProps.ColumnDefinition<QueueRow>[] {
  return submissionColumns<QueueRow>(
    (id) => consoleHref(`operator/load-form-review?submission=${encodeURIComponent(id)}`),
    open,
    [
      {
        id: 'seller',
        header: 'Seller account',
        cell: (s) => s.accountId,
        sortingField: 'accountId',
      },
      { id: 'products', header: 'Products', cell: (s) => s.products },
    ],
  );
}

/** The operators' review queue of load form submissions, and one submission's review. */
export function LoadFormReviewPage(): JSX.Element {
  const [params, setParams] = useSearchParams();
  const open = params.get('submission');
  const state = params.get('state');
  const filter = SUBMISSION_STATES.find((s) => s === state);
  if (open !== null) {
    return (
      <ReviewDetail
        id={open}
        onBack={() => setParams(filter === undefined ? {} : { state: filter })}
      />
    );
  }
  return (
    <ReviewQueue
      state={filter}
      onState={(s) => setParams(s === undefined ? {} : { state: s })}
      onOpen={(id) =>
        setParams({ submission: id, ...(filter === undefined ? {} : { state: filter }) })
      }
    />
  );
}

function ReviewQueue(props: {
  state: SubmissionState | undefined;
  onState: (state: SubmissionState | undefined) => void;
  onOpen: (id: string) => void;
}): JSX.Element {
  const { state } = props;
  const load = useCallback(
    async (client: ApiClient): Promise<QueueRow[]> =>
      (await listReviewQueue(client, state)).map((s) => ({
        ...s,
        stateLabel: submissionStateLabel(s.state),
        products: submissionProducts(s),
      })),
    [state],
  );
  const queue = useApiQuery(load);
  const selected = STATE_OPTIONS.find((o) => o.value === (state ?? ALL)) ?? STATE_OPTIONS[0]!;
  return (
    <ResourceTable
      title="Load form review"
      resourceName="submissions"
      description="Sellers' load forms, oldest first. Answer each by its target date: five business days after upload."
      items={queue.data}
      loading={queue.loading}
      error={queue.error}
      onRetry={queue.reload}
      columns={columns(props.onOpen)}
      trackBy="id"
      empty={state === undefined ? 'No submissions.' : `No submissions in state ${state}.`}
      actions={
        <SpaceBetween direction="horizontal" size="xs">
          <Select
            selectedOption={selected}
            options={STATE_OPTIONS}
            ariaLabel="Filter by state"
            onChange={(event) => {
              const value = event.detail.selectedOption.value;
              props.onState(SUBMISSION_STATES.find((s) => s === value));
            }}
          />
          <Button iconName="refresh" loading={queue.loading} onClick={queue.reload}>
            Refresh
          </Button>
        </SpaceBetween>
      }
    />
  );
}
