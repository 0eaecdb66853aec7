import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Textarea from '@cloudscape-design/components/textarea';
import { useCallback, useState } from 'react';

import type { ApiClient } from '../../../api/api-client.js';
import {
  answerSubmission,
  getSubmission,
  submitCorrectedForm,
} from '../../../api/publishing-api.js';
import { consoleHref } from '../../../app/console-paths.js';
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
import { LoadFormUploadModal } from './load-form-upload-modal.js';

/** One submission: its facts, content and conversation; answer or correct while in review. */
export function SubmissionDetail({ id, onBack }: { id: string; onBack: () => void }): JSX.Element {
  const { client } = useSession();
  const { notifyError } = useNotifications();
  const load = useCallback((c: ApiClient) => getSubmission(c, id), [id]);
  const submission = useApiQuery(load);
  const [answer, setAnswer] = useState('');
  const [answerTouched, setAnswerTouched] = useState(false);
  const [sending, setSending] = useState(false);
  const [correcting, setCorrecting] = useState(false);

  const data = submission.data;
  const open =
    data !== undefined && ['Submitted', 'UnderReview', 'NeedsClarification'].includes(data.state);
  const answerError = answerTouched
    ? submissionMessageError(answer, true, 'Enter your answer.')
    : undefined;

  const sendAnswer = (): void => {
    setAnswerTouched(true);
    if (submissionMessageError(answer, true, '') !== undefined) return;
    setSending(true);
    answerSubmission(client, id, answer.trim()).then(
      () => {
        setSending(false);
        setAnswer('');
        setAnswerTouched(false);
        submission.reload();
      },
      (error: unknown) => {
        setSending(false);
        notifyError('Could not send the answer', error);
      },
    );
  };

  return (
    <SubmissionDetailLayout
      id={id}
      listText="File upload"
      listPath={consoleHref('seller/file-upload')}
      onBack={onBack}
      submission={submission}
      actions={
        <Button disabled={!open} onClick={() => setCorrecting(true)}>
          Upload corrected form
        </Button>
      }
      dialogs={
        correcting && (
          <LoadFormUploadModal
            title="Upload corrected form"
            submitLabel="Upload"
            withDescription={false}
            upload={(file, _description, onProgress) =>
              submitCorrectedForm(client, id, file, onProgress)
            }
            onUploaded={() => {
              setCorrecting(false);
              submission.reload();
            }}
            onDismiss={() => setCorrecting(false)}
          />
        )
      }
    >
      {(loaded) => (
        <>
          <SubmissionSummary submission={loaded} />
          <SubmissionConversation messages={loaded.conversation} />
          {loaded.state === 'NeedsClarification' && (
            <Container header={<Header variant="h2">Answer the reviewers</Header>}>
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  sendAnswer();
                }}
              >
                <Form
                  actions={
                    // A Cloudscape Button submits its form; onSubmit above sends the answer once.
                    <Button variant="primary" loading={sending}>
                      Send answer
                    </Button>
                  }
                >
                  <FormField
                    label="Answer"
                    constraintText={`Required, at most ${MAX_SUBMISSION_MESSAGE} characters.`}
                    errorText={answerError}
                    stretch
                  >
                    <Textarea
                      value={answer}
                      ariaLabel="Answer"
                      onChange={(event) => {
                        setAnswer(event.detail.value);
                        setAnswerTouched(true);
                      }}
                    />
                  </FormField>
                </Form>
              </form>
            </Container>
          )}
          <SubmissionEntries submission={loaded} />
        </>
      )}
    </SubmissionDetailLayout>
  );
}
