import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Spinner from '@cloudscape-design/components/spinner';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useCallback, useState } from 'react';

import type { ApiClient } from '../../../api/api-client.js';
import {
  answerSubmission,
  getSubmission,
  submitCorrectedForm,
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
import { LoadFormUploadModal } from './load-form-upload-modal.js';

/** The API's limit on a message (MessageBody). */
const MAX_MESSAGE = 4000;

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
  const answerError = !answerTouched
    ? undefined
    : answer.trim() === ''
      ? 'Enter your answer.'
      : answer.length > MAX_MESSAGE
        ? `At most ${MAX_MESSAGE} characters (now ${answer.length}).`
        : undefined;

  const sendAnswer = (): void => {
    setAnswerTouched(true);
    if (answer.trim() === '' || answer.length > MAX_MESSAGE) return;
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
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          ariaLabel="Breadcrumbs"
          items={[
            { text: 'File upload', href: consoleHref('seller/file-upload') },
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
              <Button disabled={!open} onClick={() => setCorrecting(true)}>
                Upload corrected form
              </Button>
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
            <SubmissionConversation messages={data.conversation} />
            {data.state === 'NeedsClarification' && (
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
                      constraintText={`Required, at most ${MAX_MESSAGE} characters.`}
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
            <SubmissionEntries submission={data} />
          </>
        )}
      </SpaceBetween>
      {correcting && (
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
      )}
    </ContentLayout>
  );
}
