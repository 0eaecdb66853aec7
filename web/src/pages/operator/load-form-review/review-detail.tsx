import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
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
import { ConfirmModal } from '../../../components/confirm-modal.js';
import {
  MAX_SUBMISSION_MESSAGE,
  SubmissionDetailLayout,
  submissionMessageError,
} from '../../../components/load-form-submission-detail.js';
import {
  SubmissionConversation,
  SubmissionEntries,
  SubmissionSummary,
} from '../../../components/load-form-submission-parts.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';

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
      : submissionMessageError(
          message,
          spec.required,
          `Enter the ${spec.messageLabel.toLowerCase()}.`,
        );

  const choose = (next: ReviewAction): void => {
    setAction(next);
    setMessage('');
    setTouched(false);
  };
  const confirm = (): void => {
    if (action === undefined || spec === undefined) return;
    setTouched(true);
    if (submissionMessageError(message, spec.required, '') !== undefined) return;
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
    <SubmissionDetailLayout
      id={id}
      listText="Load form review"
      listPath={consoleHref('operator/load-form-review')}
      onBack={onBack}
      submission={submission}
      actions={(Object.keys(ACTIONS) as ReviewAction[]).map((key) => (
        <Button
          key={key}
          variant={key === 'publish' ? 'primary' : 'normal'}
          disabled={data === undefined || !ACTIONS[key].from.includes(data.state)}
          onClick={() => choose(key)}
        >
          {ACTIONS[key].label}
        </Button>
      ))}
      dialogs={
        spec !== undefined && (
          <ConfirmModal
            visible
            header={spec.title}
            closeAriaLabel="Close"
            confirmLabel={spec.confirm}
            busy={busy}
            onConfirm={confirm}
            onDismiss={() => setAction(undefined)}
          >
            <FormField
              label={spec.messageLabel}
              constraintText={`${spec.required ? 'Required' : 'Optional'}, at most ${MAX_SUBMISSION_MESSAGE} characters. The seller reads it.`}
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
          </ConfirmModal>
        )
      }
    >
      {(loaded) => (
        <>
          <SubmissionSummary submission={loaded} />
          <SubmissionEntries submission={loaded} />
          <SubmissionConversation messages={loaded.conversation} />
        </>
      )}
    </SubmissionDetailLayout>
  );
}
