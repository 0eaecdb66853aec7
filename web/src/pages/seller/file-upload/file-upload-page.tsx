import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';

import {
  LOAD_FORM_DOWNLOAD_PATH,
  listSubmissions,
  submitLoadForm,
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
import { useSession } from '../../../session/session-context.js';
import { LoadFormUploadModal } from './load-form-upload-modal.js';
import { SubmissionDetail } from './submission-detail.js';

/** The query parameter naming the submission whose detail is open. */
export const SUBMISSION_PARAM = 'submission';

function columns(open: (id: string) => void): TableProps.ColumnDefinition<SubmissionRow>[] {
  return submissionColumns<SubmissionRow>(
    (id) => consoleHref(`seller/file-upload?${SUBMISSION_PARAM}=${encodeURIComponent(id)}`),
    open,
    [
      { id: 'fileName', header: 'File', cell: (s) => s.fileName, sortingField: 'fileName' },
      { id: 'products', header: 'Products', cell: submissionProducts },
    ],
  );
}

async function loadRows(client: Parameters<typeof listSubmissions>[0]): Promise<SubmissionRow[]> {
  const submissions = await listSubmissions(client);
  return submissions.map((s) => ({ ...s, stateLabel: submissionStateLabel(s.state) }));
}

/** The seller's Assets: the load form to download, uploads, and the submissions' review. */
export function FileUploadPage(): JSX.Element {
  const [params, setParams] = useSearchParams();
  const open = params.get(SUBMISSION_PARAM);
  if (open !== null) {
    return <SubmissionDetail id={open} onBack={() => setParams({})} />;
  }
  return <SubmissionList onOpen={(id) => setParams({ [SUBMISSION_PARAM]: id })} />;
}

function SubmissionList({ onOpen }: { onOpen: (id: string) => void }): JSX.Element {
  const { client } = useSession();
  const submissions = useApiQuery(loadRows);
  const [uploading, setUploading] = useState(false);
  return (
    <SpaceBetween size="m">
      <ResourceTable
        title="File upload"
        resourceName="submissions"
        description="Download the product load form, fill in one row per product version and package group, and upload it for review. Operators answer within five business days."
        items={submissions.data}
        loading={submissions.loading}
        error={submissions.error}
        onRetry={submissions.reload}
        columns={columns(onOpen)}
        trackBy="id"
        empty="No load forms submitted yet. Download the load form, fill it in and upload it."
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              iconName="refresh"
              ariaLabel="Refresh submissions"
              onClick={submissions.reload}
            />
            <Button
              href={LOAD_FORM_DOWNLOAD_PATH}
              download="goldsmith-load-form.xlsx"
              iconName="download"
            >
              Download load form
            </Button>
            <Button variant="primary" iconName="upload" onClick={() => setUploading(true)}>
              Upload load form
            </Button>
          </SpaceBetween>
        }
      />
      {uploading && (
        <LoadFormUploadModal
          title="Upload load form"
          submitLabel="Upload"
          withDescription
          upload={(file, description, onProgress) =>
            submitLoadForm(client, file, description, onProgress)
          }
          onUploaded={() => {
            setUploading(false);
            submissions.reload();
          }}
          onDismiss={() => setUploading(false)}
        />
      )}
    </SpaceBetween>
  );
}
