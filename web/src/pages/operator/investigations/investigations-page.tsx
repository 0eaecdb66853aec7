import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { useCallback, useState } from 'react';

import {
  closeBuild,
  listInvestigations,
  readBuildLog,
  retryBuild,
  type Investigation,
} from '../../../api/operator-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { formatDate } from '../../../components/format-date.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';

/** The API's limit on the note to the seller. */
const MAX_MESSAGE = 4000;

/** The first line of an internal error: the table's "Reason". */
function reasonOf(build: Investigation): string {
  const first = (build.internalError ?? 'no internal error recorded').split('\n')[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}

/** Builds that failed on Goldsmith's side: read the error and logs, then retry or close each. */
export function InvestigationsPage(): JSX.Element {
  const builds = useApiQuery(listInvestigations);
  const [selectedId, setSelectedId] = useState<string>();
  const [outcome, setOutcome] = useState<string>();
  const selected = builds.data?.find((b) => b.id === selectedId);

  const columns: TableProps.ColumnDefinition<Investigation>[] = [
    {
      id: 'id',
      header: 'Build',
      cell: (b) => (
        <Link
          href={`#build-${b.id}`}
          onFollow={(event) => {
            event.preventDefault();
            setSelectedId(b.id);
          }}
        >
          {b.id}
        </Link>
      ),
      sortingField: 'id',
      isRowHeader: true,
    },
    { id: 'reason', header: 'Reason', cell: reasonOf },
    {
      id: 'since',
      header: 'Investigating since',
      cell: (b) => formatDate(b.investigation?.since ?? b.finishedAt),
      sortingComparator: (a, b) =>
        (a.investigation?.since ?? '').localeCompare(b.investigation?.since ?? ''),
    },
    {
      id: 'account',
      header: 'Account',
      cell: (b) => `${b.accountName ?? '(deleted)'} (${b.accountId})`,
      sortingField: 'accountName',
    },
    {
      id: 'group',
      header: 'Package group',
      cell: (b) => b.packageGroupName ?? b.packageGroupId,
      sortingField: 'packageGroupName',
    },
    { id: 'os', header: 'OS', cell: (b) => b.osVersion, sortingField: 'osVersion' },
    { id: 'attempts', header: 'Attempts', cell: (b) => b.attempts, sortingField: 'attempts' },
  ];

  const done = useCallback(
    (message: string) => {
      setOutcome(message);
      setSelectedId(undefined);
      builds.reload();
    },
    [builds],
  );

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Builds that failed on Goldsmith's side after their retries. Sellers see only “Investigating since” until you retry or close them."
          actions={
            <Button iconName="refresh" loading={builds.loading} onClick={builds.reload}>
              Refresh
            </Button>
          }
        >
          Investigations
        </Header>
      }
    >
      <SpaceBetween size="l">
        {outcome !== undefined && (
          <Alert type="success" dismissible onDismiss={() => setOutcome(undefined)}>
            {outcome}
          </Alert>
        )}
        {builds.error !== undefined && (
          <ApiErrorAlert
            header="Could not load investigations"
            error={builds.error}
            onRetry={builds.reload}
          />
        )}
        <ResourceTable
          variant="section"
          title="Builds in Investigating"
          resourceName="builds"
          items={builds.data}
          loading={builds.loading}
          columns={columns}
          trackBy="id"
          empty="No builds are in Investigating."
        />
        {selected !== undefined && <BuildDetail build={selected} onDone={done} />}
      </SpaceBetween>
    </ContentLayout>
  );
}

function BuildDetail({
  build,
  onDone,
}: {
  build: Investigation;
  onDone: (message: string) => void;
}): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const [asking, setAsking] = useState<'retry' | 'close'>();
  const [message, setMessage] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const loadLog = useCallback(
    (c: Parameters<typeof readBuildLog>[0]) => readBuildLog(c, build.id),
    [build.id],
  );
  const log = useApiQuery(loadLog);

  const messageError =
    message.trim() === ''
      ? 'Write what the seller should know.'
      : message.length > MAX_MESSAGE
        ? `At most ${MAX_MESSAGE} characters.`
        : undefined;

  const act = async () => {
    setBusy(true);
    try {
      if (asking === 'retry') {
        const updated = await retryBuild(client, build.id);
        onDone(`Build ${build.id} runs again: ${updated.state}.`);
      } else {
        const updated = await closeBuild(client, build.id, message.trim());
        onDone(
          `Build ${build.id} closed: ${updated.state === 'IssuesFound' ? 'Issues found' : updated.state}.`,
        );
      }
      setAsking(undefined);
    } catch (error) {
      setAsking(undefined);
      notifyError(
        asking === 'retry'
          ? `Could not retry build ${build.id}`
          : `Could not close build ${build.id}`,
        error,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button onClick={() => setAsking('retry')}>Retry</Button>
              <Button
                onClick={() => {
                  setMessage('');
                  setTouched(false);
                  setAsking('close');
                }}
              >
                Close
              </Button>
            </SpaceBetween>
          }
        >
          Build {build.id}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={3}
          items={[
            {
              label: 'State',
              value: <StatusIndicator type="warning">Investigating</StatusIndicator>,
            },
            { label: 'Investigating since', value: formatDate(build.investigation?.since) },
            {
              label: 'Seller may contact us from',
              value: formatDate(build.investigation?.contactAvailableAt),
            },
            { label: 'Account', value: `${build.accountName ?? '(deleted)'} (${build.accountId})` },
            { label: 'Package group', value: build.packageGroupName ?? build.packageGroupId },
            { label: 'OS version', value: build.osVersion },
            { label: 'Submitted', value: formatDate(build.submittedAt) },
            { label: 'Attempts', value: String(build.attempts) },
          ]}
        />
        <FormField label="Internal error" description="Shown to operators only.">
          <Box variant="code">
            <pre style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>
              {build.internalError ?? 'No internal error was recorded.'}
            </pre>
          </Box>
        </FormField>
        <ExpandableSection headerText="Build log" defaultExpanded>
          {log.error !== undefined ? (
            <ApiErrorAlert header="Could not load the log" error={log.error} onRetry={log.reload} />
          ) : log.data === undefined ? (
            <StatusIndicator type="loading">Loading the log</StatusIndicator>
          ) : log.data.length === 0 ? (
            'The build wrote no log lines.'
          ) : (
            <pre
              aria-label="Build log"
              style={{
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
                maxHeight: 400,
                overflow: 'auto',
              }}
            >
              {log.data.map((l) => `${l.at} ${l.stream}: ${l.text}`).join('\n')}
            </pre>
          )}
        </ExpandableSection>
      </SpaceBetween>
      <ConfirmModal
        visible={asking !== undefined}
        header={asking === 'retry' ? `Retry build ${build.id}?` : `Close build ${build.id}?`}
        confirmLabel={asking === 'retry' ? 'Retry build' : 'Close build'}
        busy={busy}
        confirmDisabled={asking === 'close' && messageError !== undefined}
        onConfirm={() => void act()}
        onDismiss={() => setAsking(undefined)}
      >
        {asking === 'retry' ? (
          'The build runs again from the start with a fresh set of attempts. Do this once the cause is fixed.'
        ) : (
          <SpaceBetween size="s">
            <Box>The build ends as Issues found and the seller reads your message with it.</Box>
            <FormField
              label="Message to the seller"
              constraintText={`Required, at most ${MAX_MESSAGE} characters (${message.length} used).`}
              errorText={touched ? messageError : undefined}
            >
              <Textarea
                value={message}
                ariaLabel="Message to the seller"
                onChange={(e) => {
                  setMessage(e.detail.value);
                  setTouched(true);
                }}
                onBlur={() => setTouched(true)}
              />
            </FormField>
          </SpaceBetween>
        )}
      </ConfirmModal>
    </Container>
  );
}
