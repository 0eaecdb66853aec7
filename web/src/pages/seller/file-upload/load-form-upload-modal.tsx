import FileUpload from '@cloudscape-design/components/file-upload';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';

import { toApiError, type ApiError } from '../../../api/api-error.js';
import type { LoadFormSubmission } from '../../../api/publishing-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';

/** The API's limit on a submission's description (MAX_DESCRIPTION_LENGTH). */
const MAX_DESCRIPTION = 500;

/** The upload the modal runs: the chosen file, the description, and a progress callback. */
export type LoadFormUpload = (
  file: File,
  description: string,
  onProgress: (sent: number, total: number) => void,
) => Promise<LoadFormSubmission>;

export interface LoadFormUploadModalProps {
  readonly title: string;
  readonly submitLabel: string;
  /** Whether the form asks for a description (a new submission does; a correction does not). */
  readonly withDescription: boolean;
  readonly upload: LoadFormUpload;
  readonly onUploaded: (submission: LoadFormSubmission) => void;
  readonly onDismiss: () => void;
}

function descriptionProblem(description: string): string | undefined {
  if (description.trim() === '') return 'Enter a description.';
  if (description.trim().length > MAX_DESCRIPTION)
    return `At most ${MAX_DESCRIPTION} characters (now ${description.trim().length}).`;
  return undefined;
}

/** Uploads a filled-in load form with a progress bar; the API's refusal shows in the modal. */
export function LoadFormUploadModal(props: LoadFormUploadModalProps): JSX.Element {
  const [files, setFiles] = useState<File[]>([]);
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<ApiError>();

  const uploading = progress !== undefined;
  const file = files[0];
  const localDescriptionError = props.withDescription ? descriptionProblem(description) : undefined;
  // The API's own verdict on the description belongs on the field, not in the alert.
  const apiDescriptionError =
    error?.code === 'INVALID_SUBMISSION_DESCRIPTION' ? error.message : undefined;
  const descriptionError = touched ? (localDescriptionError ?? apiDescriptionError) : undefined;
  const fileError = submitted && file === undefined ? 'Choose the filled-in load form.' : undefined;

  const submit = (): void => {
    setTouched(true);
    setSubmitted(true);
    if (file === undefined || localDescriptionError !== undefined) return;
    setError(undefined);
    setProgress(0);
    props
      .upload(file, description.trim(), (sent, total) =>
        setProgress(total === 0 ? 100 : Math.round((sent / total) * 100)),
      )
      .then(
        (submission) => {
          setProgress(undefined);
          props.onUploaded(submission);
        },
        (failure: unknown) => {
          setProgress(undefined);
          setError(toApiError(failure));
        },
      );
  };

  return (
    <ConfirmModal
      visible
      header={props.title}
      closeAriaLabel="Close"
      confirmLabel={props.submitLabel}
      busy={uploading}
      onConfirm={submit}
      onDismiss={props.onDismiss}
      lockWhileBusy
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Form>
          <SpaceBetween size="m">
            {error !== undefined && apiDescriptionError === undefined && (
              <ApiErrorAlert header="The load form was not accepted" error={error} />
            )}
            <FormField
              label="Load form"
              description="The workbook downloaded from this page, filled in."
              constraintText="An .xlsx file of at most 10 MB."
              errorText={fileError}
            >
              <FileUpload
                value={files}
                onChange={(event) => {
                  setFiles(event.detail.value);
                  setError(undefined);
                }}
                accept=".xlsx"
                showFileSize
                i18nStrings={{
                  uploadButtonText: () => 'Choose file',
                  dropzoneText: () => 'Drop the load form here',
                  removeFileAriaLabel: () => 'Remove file',
                  limitShowFewer: 'Show fewer files',
                  limitShowMore: 'Show more files',
                  errorIconAriaLabel: 'Error',
                  warningIconAriaLabel: 'Warning',
                }}
              />
            </FormField>
            {props.withDescription && (
              <FormField
                label="Description"
                description="What this submission is about, for the reviewers."
                constraintText={`Required, at most ${MAX_DESCRIPTION} characters.`}
                errorText={descriptionError}
              >
                <Input
                  value={description}
                  ariaLabel="Description"
                  disabled={uploading}
                  onChange={(event) => {
                    setDescription(event.detail.value);
                    setTouched(true);
                    if (error?.code === 'INVALID_SUBMISSION_DESCRIPTION') setError(undefined);
                  }}
                />
              </FormField>
            )}
            {uploading && (
              <ProgressBar
                label="Uploading"
                value={progress}
                description={file?.name}
                additionalInfo="The API checks the workbook once it has arrived."
              />
            )}
          </SpaceBetween>
        </Form>
      </form>
    </ConfirmModal>
  );
}
