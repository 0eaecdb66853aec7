import Button from '@cloudscape-design/components/button';
import FileUpload from '@cloudscape-design/components/file-upload';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';

import { toApiError, type ApiError } from '../../../api/api-error.js';
import {
  importGoldImage,
  listSourceImages,
  type SourceImage,
} from '../../../api/buyer-images-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';

const COLUMNS: TableProps.ColumnDefinition<SourceImage>[] = [
  {
    id: 'name',
    header: 'Name',
    cell: (image) => image.name,
    sortingField: 'name',
    isRowHeader: true,
  },
  { id: 'id', header: 'Image ID', cell: (image) => image.id },
  {
    id: 'owner',
    header: 'Owner',
    cell: (image) => (image.owner === 'self' ? 'Owned by me' : 'Public'),
    sortingField: 'owner',
  },
  { id: 'kind', header: 'Kind', cell: (image) => image.kind, sortingField: 'kind' },
  { id: 'os', header: 'OS version', cell: (image) => image.osVersion, sortingField: 'osVersion' },
  {
    id: 'size',
    header: 'Size',
    cell: (image) => `${(image.sizeBytes / 1024 / 1024).toFixed(1)} MiB`,
    sortingField: 'sizeBytes',
  },
  {
    id: 'created',
    header: 'Created',
    cell: (image) => new Date(image.createdAt).toLocaleString(),
    sortingField: 'createdAt',
  },
];

/** The buyer's gold images and the public base images, and importing a gold image. */
export function GoldImagesPage(): JSX.Element {
  const images = useApiQuery(listSourceImages);
  const [importing, setImporting] = useState(false);
  return (
    <>
      <ResourceTable
        title="Gold images"
        resourceName="images"
        description="Images you can build private images on: your own gold images and the public base images."
        items={images.data}
        loading={images.loading}
        error={images.error}
        onRetry={images.reload}
        columns={COLUMNS}
        trackBy="id"
        empty="No images yet. Import a gold image."
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh images" onClick={images.reload} />
            <Button variant="primary" onClick={() => setImporting(true)}>
              Import gold image
            </Button>
          </SpaceBetween>
        }
      />
      {importing && (
        <ImportModal
          onClose={(imported) => {
            setImporting(false);
            if (imported) images.reload();
          }}
        />
      )}
    </>
  );
}

function ImportModal({ onClose }: { onClose: (imported: boolean) => void }): JSX.Element {
  const { client } = useSession();
  const [files, setFiles] = useState<File[]>([]);
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<number>();
  const [failure, setFailure] = useState<ApiError>();
  const [submitted, setSubmitted] = useState(false);
  const file = files[0];

  const start = (): void => {
    setSubmitted(true);
    if (file === undefined) return;
    setFailure(undefined);
    setProgress(0);
    importGoldImage(client, file, name.trim(), (sent, total) =>
      setProgress(total === 0 ? 100 : Math.round((sent / total) * 100)),
    ).then(
      () => onClose(true),
      (error: unknown) => {
        setProgress(undefined);
        setFailure(toApiError(error));
      },
    );
  };

  const uploading = progress !== undefined;
  return (
    <ConfirmModal
      visible
      header="Import gold image"
      confirmLabel="Import"
      busy={uploading}
      onConfirm={start}
      onDismiss={() => onClose(false)}
      lockWhileBusy
    >
      <SpaceBetween size="m">
        {failure !== undefined && (
          <ApiErrorAlert header="Could not import the image" error={failure} />
        )}
        <FormField
          label="Image file"
          description="A root filesystem tar (optionally gzip, xz or zstd), an OCI archive, a docker save archive, or a raw or qcow2 disk."
          errorText={submitted && file === undefined ? 'Choose a file.' : undefined}
        >
          <FileUpload
            value={files}
            onChange={(event) => setFiles(event.detail.value.slice(0, 1))}
            showFileSize
            i18nStrings={{
              uploadButtonText: () => 'Choose file',
              dropzoneText: () => 'Drop a file to upload',
              removeFileAriaLabel: (index) => `Remove file ${index + 1}`,
              limitShowFewer: 'Show fewer files',
              limitShowMore: 'Show more files',
              errorIconAriaLabel: 'Error',
            }}
          />
        </FormField>
        <FormField
          label={
            <>
              Name <i>- optional</i>
            </>
          }
          constraintText="Up to 128 characters; the file name when empty."
          errorText={name.length > 128 ? 'The name is longer than 128 characters.' : undefined}
        >
          <Input value={name} ariaLabel="Name" onChange={(event) => setName(event.detail.value)} />
        </FormField>
        {uploading && (
          <ProgressBar
            label="Uploading"
            value={progress}
            description={file?.name}
            additionalInfo={progress === 100 ? 'Checking the image' : undefined}
          />
        )}
      </SpaceBetween>
    </ConfirmModal>
  );
}
