import Button from '@cloudscape-design/components/button';
import type { TableProps } from '@cloudscape-design/components/table';
import { useNavigate, useSearchParams } from 'react-router-dom';

import { listUploadedPackages, type UploadedPackage } from '../../../api/seller-build-api.js';
import { ResourceTable } from '../../../components/resource-table.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { StartPackageForm } from './start-package-form.js';

/** The address of the Start package form; with `revisionOf`, prefilled as that group's next revision. */
export function startPackagePath(revisionOf?: string): string {
  const query = new URLSearchParams({ start: '1' });
  if (revisionOf !== undefined) query.set('revisionOf', revisionOf);
  return `/seller/packages?${query.toString()}`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const COLUMNS: TableProps.ColumnDefinition<UploadedPackage>[] = [
  {
    id: 'fileName',
    header: 'File name',
    cell: (p) => p.fileName,
    sortingField: 'fileName',
    isRowHeader: true,
  },
  { id: 'id', header: 'Package ID', cell: (p) => p.id },
  { id: 'size', header: 'Size', cell: (p) => formatSize(p.size), sortingField: 'size' },
  {
    id: 'digest',
    header: 'Digest',
    cell: (p) => <code>{p.digest.slice(0, 19)}…</code>,
  },
  {
    id: 'createdAt',
    header: 'Uploaded',
    cell: (p) => new Date(p.createdAt).toLocaleString(),
    sortingField: 'createdAt',
  },
];

/** Manage packages: the uploaded packages, and Start package (`?start=1`) to submit a group. */
export function ManagePackagesPage(): JSX.Element {
  const [params] = useSearchParams();
  if (params.has('start')) {
    const revisionOf = params.get('revisionOf') ?? undefined;
    // Keyed so going from one revision to another starts a fresh form.
    return <StartPackageForm key={revisionOf ?? ''} {...(revisionOf ? { revisionOf } : {})} />;
  }
  return <UploadedPackagesList />;
}

function UploadedPackagesList(): JSX.Element {
  const navigate = useNavigate();
  const packages = useApiQuery(listUploadedPackages);
  return (
    <ResourceTable
      title="Manage packages"
      resourceName="packages"
      description="Packages you uploaded. Start package groups them, names the installer and starts a test build per OS version."
      items={packages.data}
      loading={packages.loading}
      error={packages.error}
      onRetry={packages.reload}
      columns={COLUMNS}
      trackBy="id"
      empty="No packages uploaded yet. Choose Start package to upload your installer."
      actions={
        <Button variant="primary" onClick={() => navigate(startPackagePath())}>
          Start package
        </Button>
      }
    />
  );
}
