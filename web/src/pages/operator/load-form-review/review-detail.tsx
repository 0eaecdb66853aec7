import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Textarea from '@cloudscape-design/components/textarea';
import { useCallback, useState } from 'react';

import type { ApiClient } from '../../../api/api-client.js';
import {
  getReviewSubmission,
  reviewSubmission,
  type ReviewAction,
  type SubmissionState,
} from '../../../api/publishing-api.js';
import { consoleHref } from '../../../app/console-paths.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import {
  SubmissionConversation,
  SubmissionEntries,
  SubmissionSummary,
} from '../../../components/load-form-submission-parts.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';

const MAX_MESSAGE = 4000;

/** Each review action: its button, confirmation, whether it needs a message, and from where. */
const ACTIONS: Record<
  ReviewAction,
  {
    label: string;
    title: string;
    confirm: string;
    messageLabel: string;
    required: boolean;
    from: readonly SubmissionState[];
  }
> = {
  start: {
    label: 'Start review',
    title: 'Start the review',
    confirm: 'Start review',
    messageLabel: 'Note to the seller (optional)',
    required: false,
    from: ['Submitted'],
  },
  clarify: {
    label: 'Ask for clarification',
    title: 'Ask the seller for clarification',
    confirm: 'Send question',
    messageLabel: 'Question',
    required: true,
    from: ['UnderReview'],
  },
  publish: {
    label: 'Publish',
    title: 'Publish the products',
    confirm: 'Publish',
    messageLabel: 'Message to the seller (optional)',
    required: false,
    from: ['UnderReview'],
  },
  reject: {
    label: 'Reject',
    title: 'Reject the submission',
    confirm: 'Reject',
    messageLabel: 'Reason',
    required: true,
    from: ['Submitted', 'UnderReview', 'NeedsClarification'],
  },
};

/** One submission under review: its content, conversation and the operator's actions. */
export function ReviewDetail({ id, onBack }: { id: string; onBack: () => void }): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const load = useCallback((c: ApiClient) => getReviewSubmission(c, id), [id]);
  const submission = useApiQuery(load);
  const [action, setAction] = useState<ReviewAction>();
  const [message, setMessage] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const data = submission.data;

  const spec = action === undefined ? undefined : ACTIONS[action];
  const messageError =
    spec === undefined || !touched
      ? undefined
      : spec.required && message.trim() === ''
        ? `Enter the ${spec.messageLabel.toLowerCase()}.`
        : message.length > MAX_MESSAGE
          ? `At most ${MAX_MESSAGE} characters (now ${message.length}).`
          : undefined;

  const choose = (next: ReviewAction): void => {
    setAction(next);
    setMessage('');
    setTouched(false);
  };
  const confirm = (): void => {
    if (action === undefined || spec === undefined) return;
    setTouched(true);
    if ((spec.required && message.trim() === '') || message.length > MAX_MESSAGE) return;
    setBusy(true);
    reviewSubmission(client, id, action, message.trim()).then(
      () => {
        setBusy(false);
        setAction(undefined);
        submission.reload();
      },
      (error: unknown) => {
        setBusy(false);
        setAction(undefined);
        notifyError(`Could not ${spec.label.toLowerCase()}`, error);
        submission.reload();
      },
    );
  };

  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          ariaLabel="Breadcrumbs"
          items={[
            { text: 'Load form review', href: consoleHref('operator/load-form-review') },
            { text: data?.description ?? id, href: '#' },
          ]}
          onFollow={(event) => {
            event.preventDefault();
            if (event.detail.href !== '#') onBack();
          }}
        />
      }
      header={
        <Header
          variant="h1"
          description={data === undefined ? undefined : `Submission ${data.id}`}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button
                iconName="refresh"
                ariaLabel="Refresh submission"
                onClick={submission.reload}
              />
              {(Object.keys(ACTIONS) as ReviewAction[]).map((key) => (
                <Button
                  key={key}
                  variant={key === 'publish' ? 'primary' : 'normal'}
                  disabled={data === undefined || !ACTIONS[key].from.includes(data.state)}
                  onClick={() => choose(key)}
                >
                  {ACTIONS[key].label}
                </Button>
              ))}
            </SpaceBetween>
          }
        >
          {data?.description ?? 'Submission'}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {submission.error !== undefined && (
          <ApiErrorAlert
            header="Could not load the submission"
            error={submission.error}
            onRetry={submission.reload}
          />
        )}
        {data === undefined && submission.loading && <Spinner size="large" />}
        {data !== undefined && (
          <>
            <SubmissionSummary submission={data} />
            <SubmissionEntries submission={data} />
            <SubmissionConversation messages={data.conversation} />
          </>
        )}
      </SpaceBetween>
      {spec !== undefined && (
        <Modal
          visible
          header={spec.title}
          closeAriaLabel="Close"
          onDismiss={() => setAction(undefined)}
          footer={
            <Box float="right">
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="link" onClick={() => setAction(undefined)}>
                  Cancel
                </Button>
                <Button variant="primary" loading={busy} onClick={confirm}>
                  {spec.confirm}
                </Button>
              </SpaceBetween>
            </Box>
          }
        >
          <FormField
            label={spec.messageLabel}
            constraintText={`${spec.required ? 'Required' : 'Optional'}, at most ${MAX_MESSAGE} characters. The seller reads it.`}
            errorText={messageError}
            stretch
          >
            <Textarea
              value={message}
              ariaLabel={spec.messageLabel}
              onChange={(event) => {
                setMessage(event.detail.value);
                setTouched(true);
              }}
            />
          </FormField>
        </Modal>
      )}
    </ContentLayout>
  );
}
