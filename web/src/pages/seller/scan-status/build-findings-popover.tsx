import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Popover from '@cloudscape-design/components/popover';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Textarea from '@cloudscape-design/components/textarea';
import { useCallback, useState } from 'react';

import { openSupportCase, getBuildLogs, type OsBuild } from '../../../api/seller-build-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';

function evidenceText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join('\n');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value, null, 2);
  return String(value);
}

/** The installer's output of one build, loaded when shown. */
function InstallerOutput({ buildId }: { buildId: string }): JSX.Element {
  const load = useCallback(
    (client: Parameters<typeof getBuildLogs>[0]) => getBuildLogs(client, buildId),
    [buildId],
  );
  const logs = useApiQuery(load);
  if (logs.error !== undefined)
    return (
      <ApiErrorAlert
        header="Could not load the installer output"
        error={logs.error}
        onRetry={logs.reload}
      />
    );
  if (logs.data === undefined) return <Spinner />;
  if (logs.data.length === 0) return <Box color="text-status-inactive">No output.</Box>;
  return (
    <Box variant="code">
      <pre
        aria-label="Installer output"
        style={{ maxHeight: 240, overflow: 'auto', margin: 0, whiteSpace: 'pre-wrap' }}
      >
        {logs.data.map((line) => `${line.stream}: ${line.text}`).join('\n')}
      </pre>
    </Box>
  );
}

/** Investigating since, and the contact action once four business days have passed. */
function Investigation({ build }: { build: OsBuild }): JSX.Element | null {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);
  if (build.investigation === null) return null;
  const available = new Date(build.investigation.contactAvailableAt);
  const canContact = Date.now() >= available.getTime();
  const send = async () => {
    setSending(true);
    try {
      await openSupportCase(client, build.id, message);
      setSent(true);
      setOpen(false);
    } catch (error) {
      notifyError('Could not contact the operators', error);
    } finally {
      setSending(false);
    }
  };
  return (
    <SpaceBetween size="xs">
      <Box>
        Investigating since {new Date(build.investigation.since).toLocaleString()}. The operators
        are looking into it.
      </Box>
      {sent ? (
        <Box color="text-status-success">Your support case is open.</Box>
      ) : canContact ? (
        !open && <Button onClick={() => setOpen(true)}>Contact operations</Button>
      ) : (
        <Box color="text-status-inactive">
          If it is still investigating on {available.toLocaleString()} (four business days), you can
          contact the operators here.
        </Box>
      )}
      {open && (
        // Inline, not a Modal: a modal outside the popover would close the popover on its first click.
        <SpaceBetween size="xs">
          <FormField label="Message to the operators" constraintText="Up to 4000 characters.">
            <Textarea value={message} onChange={({ detail }) => setMessage(detail.value)} />
          </FormField>
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              variant="primary"
              loading={sending}
              disabled={message.trim() === ''}
              onClick={() => void send()}
            >
              Send
            </Button>
          </SpaceBetween>
        </SpaceBetween>
      )}
    </SpaceBetween>
  );
}

/** The findings of one build: message, what to do, evidence, and the installer's output. */
function BuildFindings({ build }: { build: OsBuild }): JSX.Element {
  return (
    <SpaceBetween size="m">
      <Investigation build={build} />
      {build.findings.map((finding, index) => (
        <SpaceBetween key={`${finding.code}-${index}`} size="xs">
          <Box variant="h4">
            {finding.message} <code>{finding.code}</code>
          </Box>
          <KeyValuePairs
            items={[
              { label: 'What to do', value: finding.remedy },
              ...Object.entries(finding.evidence).map(([key, value]) => ({
                label: `Evidence: ${key}`,
                value: (
                  <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{evidenceText(value)}</pre>
                ),
              })),
            ]}
          />
        </SpaceBetween>
      ))}
      <SpaceBetween size="xxs">
        <Box variant="h4">Installer output</Box>
        <InstallerOutput buildId={build.id} />
      </SpaceBetween>
    </SpaceBetween>
  );
}

/** The information icon of a problem state, opening the findings of the builds given. */
export function BuildFindingsPopover({
  label,
  builds,
}: {
  /** What the findings are of, for the icon's accessible name: "acme_r1" or "debian-12". */
  readonly label: string;
  readonly builds: readonly OsBuild[];
}): JSX.Element {
  return (
    <Popover
      size="large"
      position="right"
      renderWithPortal
      triggerType="custom"
      header={`Findings of ${label}`}
      content={
        <SpaceBetween size="l">
          {builds.map((build) => (
            <SpaceBetween key={build.id} size="xs">
              {builds.length > 1 && <Box variant="h3">{build.osVersion}</Box>}
              <BuildFindings build={build} />
            </SpaceBetween>
          ))}
        </SpaceBetween>
      }
    >
      <Button variant="inline-icon" iconName="status-info" ariaLabel={`Findings of ${label}`} />
    </Popover>
  );
}
