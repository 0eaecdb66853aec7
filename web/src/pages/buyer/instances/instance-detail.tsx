import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';

import type { ApiClient } from '../../../api/api-client.js';
import { toApiError, type ApiError } from '../../../api/api-error.js';
import {
  changeInstance,
  getInstance,
  readConsole,
  type ConsolePage,
} from '../../../api/buyer-instances-api.js';
import { consoleHref, routerPath } from '../../../app/console-paths.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';
import { INSTANCE_STATE, LIVE_REFRESH_MS } from '../buyer-states.js';
import { useLiveRefresh } from '../use-live-refresh.js';

type Action = 'stop' | 'terminate';

/** One instance: its state, Stop and Terminate, and its console output as it comes. */
export function InstanceDetail({ instanceId }: { instanceId: string }): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const navigate = useNavigate();
  const load = useCallback((api: ApiClient) => getInstance(api, instanceId), [instanceId]);
  const instance = useApiQuery(load);
  const [confirming, setConfirming] = useState<Action>();
  const [busy, setBusy] = useState(false);
  const state = instance.data?.state;
  useLiveRefresh(
    state !== undefined && state !== 'terminated' && state !== 'stopped',
    instance.reload,
  );

  const act = (action: Action): void => {
    setBusy(true);
    changeInstance(client, instanceId, action).then(
      () => {
        setBusy(false);
        setConfirming(undefined);
        instance.reload();
      },
      (error: unknown) => {
        setBusy(false);
        setConfirming(undefined);
        notifyError(`Could not ${action} ${instanceId}`, error);
      },
    );
  };

  const data = instance.data;
  return (
    <ContentLayout
      header={
        <SpaceBetween size="xs">
          <BreadcrumbGroup
            ariaLabel="Breadcrumbs"
            items={[
              { text: 'Instances', href: consoleHref('buyer/instances') },
              { text: instanceId, href: '#' },
            ]}
            onFollow={(event) => {
              event.preventDefault();
              if (event.detail.href !== '#') navigate(routerPath(event.detail.href));
            }}
          />
          <Header
            variant="h1"
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  disabled={state !== 'running' && state !== 'pending'}
                  onClick={() => setConfirming('stop')}
                >
                  Stop instance
                </Button>
                <Button
                  disabled={state === undefined || state === 'terminated'}
                  onClick={() => setConfirming('terminate')}
                >
                  Terminate instance
                </Button>
              </SpaceBetween>
            }
          >
            {`Instance ${instanceId}`}
          </Header>
        </SpaceBetween>
      }
    >
      <SpaceBetween size="l">
        {instance.error !== undefined && (
          <ApiErrorAlert
            header="Could not load the instance"
            error={instance.error}
            onRetry={instance.reload}
          />
        )}
        <Container header={<Header variant="h2">Details</Header>}>
          {data === undefined ? (
            <Spinner />
          ) : (
            <KeyValuePairs
              columns={3}
              items={[
                {
                  label: 'Instance state',
                  value: (
                    <StatusIndicator type={INSTANCE_STATE[data.state].type}>
                      {INSTANCE_STATE[data.state].label}
                    </StatusIndicator>
                  ),
                },
                { label: 'Image ID', value: data.imageId },
                {
                  label: 'Command',
                  value: data.defaultCommand ? 'Image init' : (data.command ?? []).join(' '),
                },
                { label: 'State reason', value: data.stateReason ?? '-' },
                { label: 'Exit code', value: data.exitCode === null ? '-' : String(data.exitCode) },
                { label: 'Launched', value: new Date(data.launchedAt).toLocaleString() },
              ]}
            />
          )}
        </Container>
        <ConsoleOutput instanceId={instanceId} />
      </SpaceBetween>
      <ConfirmModal
        visible={confirming !== undefined}
        header={confirming === 'terminate' ? 'Terminate instance?' : 'Stop instance?'}
        confirmLabel={confirming === 'terminate' ? 'Terminate' : 'Stop'}
        busy={busy}
        onConfirm={() => confirming !== undefined && act(confirming)}
        onDismiss={() => setConfirming(undefined)}
      >
        {confirming === 'terminate'
          ? `Terminating ${instanceId} stops it if need be and deletes its files. This cannot be undone.`
          : `Stopping ${instanceId} kills its processes; its files stay until it is terminated.`}
      </ConfirmModal>
    </ContentLayout>
  );
}

/** The instance's console, read from where the last read ended until the instance ends. */
function ConsoleOutput({ instanceId }: { instanceId: string }): JSX.Element {
  const { client } = useSession();
  const [lines, setLines] = useState<ConsolePage['lines']>([]);
  const [complete, setComplete] = useState(false);
  const [failure, setFailure] = useState<ApiError>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    let after = 0;
    let timer: number | undefined;
    setLines([]);
    setComplete(false);
    setFailure(undefined);
    const poll = (): void => {
      readConsole(client, instanceId, after).then(
        (page) => {
          if (!current) return;
          after = page.nextSeq;
          if (page.lines.length > 0) setLines((all) => [...all, ...page.lines]);
          setComplete(page.complete);
          // Pages that came full are followed at once; otherwise wait for more output.
          if (!page.complete)
            timer = window.setTimeout(poll, page.lines.length > 0 ? 0 : LIVE_REFRESH_MS);
        },
        (error: unknown) => {
          if (current) setFailure(toApiError(error));
        },
      );
    };
    poll();
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [client, instanceId, attempt]);

  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            complete
              ? 'The instance has ended; this is all of its output.'
              : 'Following new output.'
          }
        >
          Console output
        </Header>
      }
    >
      <SpaceBetween size="s">
        {failure !== undefined && (
          <ApiErrorAlert
            header="Could not read the console"
            error={failure}
            onRetry={() => setAttempt((n) => n + 1)}
          />
        )}
        <div
          role="log"
          aria-label="Console output"
          style={{
            background: '#0f1b2a',
            color: '#e9ebed',
            fontFamily: 'monospace',
            fontSize: 13,
            padding: 12,
            borderRadius: 8,
            maxHeight: 480,
            overflow: 'auto',
            whiteSpace: 'pre-wrap',
            overflowWrap: 'anywhere',
          }}
        >
          {lines.length === 0 ? 'No output yet.' : lines.map((line) => `${line.text}\n`).join('')}
        </div>
      </SpaceBetween>
    </Container>
  );
}
