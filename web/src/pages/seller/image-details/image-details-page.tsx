import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import Multiselect from '@cloudscape-design/components/multiselect';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

import type { ApiClient } from '../../../api/api-client.js';
import {
  getImage,
  getImageSbomComponents,
  getImageScanReport,
  imageSbomHref,
  imageScanReportHref,
  REPORT_FORMATS,
  type ReportPolicyFinding,
  type ReportVulnerability,
  type SbomComponent,
} from '../../../api/seller-build-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { useApiQuery } from '../../../components/use-api-query.js';

/** The router path of an image's details page. */
export function imageDetailsPath(imageId: string): string {
  return `/seller/image-details?imageId=${encodeURIComponent(imageId)}`;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;

const FORMAT_LABELS: Record<(typeof REPORT_FORMATS)[number], string> = {
  table: 'Table (text)',
  json: 'Goldsmith JSON',
  cyclonedx: 'CycloneDX',
  spdx: 'SPDX',
  sarif: 'SARIF',
};

/** A filtered, paginated list inside a details tab. */
function DetailTable<T>(props: {
  readonly title: string;
  readonly noun: string;
  readonly items: readonly T[] | undefined;
  readonly loading: boolean;
  readonly columns: TableProps.ColumnDefinition<T>[];
  readonly empty: string;
  readonly filters?: JSX.Element;
}): JSX.Element {
  const { items, filteredItemsCount, collectionProps, filterProps, paginationProps } =
    useCollection(props.items ?? [], {
      filtering: { empty: props.empty, noMatch: `No ${props.noun} match the filter.` },
      pagination: { pageSize: 25 },
      sorting: {},
    });
  return (
    <Table
      {...collectionProps}
      items={items}
      columnDefinitions={props.columns}
      loading={props.loading && props.items === undefined}
      loadingText={`Loading ${props.noun}`}
      variant="container"
      ariaLabels={{ tableLabel: props.title }}
      header={
        <Header
          counter={props.items === undefined ? undefined : `(${props.items.length})`}
          actions={props.filters}
        >
          {props.title}
        </Header>
      }
      filter={
        <TextFilter
          {...filterProps}
          filteringPlaceholder={`Find ${props.noun}`}
          filteringAriaLabel={`Filter ${props.noun}`}
          countText={
            filterProps.filteringText === '' ? undefined : `${filteredItemsCount ?? 0} matches`
          }
        />
      }
      pagination={<Pagination {...paginationProps} />}
    />
  );
}

const SBOM_COLUMNS: TableProps.ColumnDefinition<SbomComponent>[] = [
  { id: 'name', header: 'Package', cell: (c) => c.name, sortingField: 'name', isRowHeader: true },
  { id: 'version', header: 'Version', cell: (c) => c.version ?? '-', sortingField: 'version' },
  { id: 'type', header: 'Type', cell: (c) => c.type ?? '-' },
  { id: 'purl', header: 'Package URL', cell: (c) => c.purl ?? '-' },
];

const VULNERABILITY_COLUMNS: TableProps.ColumnDefinition<ReportVulnerability>[] = [
  { id: 'id', header: 'Vulnerability', cell: (v) => v.id, sortingField: 'id', isRowHeader: true },
  { id: 'severity', header: 'Severity', cell: (v) => v.severity, sortingField: 'severity' },
  { id: 'package', header: 'Package', cell: (v) => v.package.name },
  { id: 'installed', header: 'Installed', cell: (v) => v.installedVersion },
  { id: 'fixed', header: 'Fixed in', cell: (v) => v.fixedVersion ?? 'no fix' },
  { id: 'summary', header: 'Summary', cell: (v) => v.summary ?? '-' },
];

const POLICY_COLUMNS: TableProps.ColumnDefinition<ReportPolicyFinding>[] = [
  { id: 'code', header: 'Finding', cell: (f) => f.code, sortingField: 'code', isRowHeader: true },
  { id: 'severity', header: 'Severity', cell: (f) => f.severity, sortingField: 'severity' },
  { id: 'message', header: 'Message', cell: (f) => f.message },
  { id: 'remedy', header: 'What to do', cell: (f) => f.remedy },
  {
    id: 'evidence',
    header: 'Evidence',
    cell: (f) => <code>{JSON.stringify(f.evidence)}</code>,
  },
];

/** Image details: metadata, SBOM, vulnerabilities by severity, policy findings and downloads. */
export function ImageDetailsPage(): JSX.Element {
  const [params] = useSearchParams();
  const imageId = params.get('imageId');
  if (imageId === null || imageId === '') {
    return (
      <ContentLayout header={<Header variant="h1">Image details</Header>}>
        <Container>
          Open an image from its image ID on the{' '}
          <Link href="/console/seller/scan-status">Scan status</Link> page.
        </Container>
      </ContentLayout>
    );
  }
  return <ImageDetails key={imageId} imageId={imageId} />;
}

function ImageDetails({ imageId }: { imageId: string }): JSX.Element {
  const [severities, setSeverities] = useState<readonly string[]>([]);
  const loadImage = useCallback((client: ApiClient) => getImage(client, imageId), [imageId]);
  const loadSbom = useCallback(
    (client: ApiClient) => getImageSbomComponents(client, imageId),
    [imageId],
  );
  const loadReport = useCallback(
    (client: ApiClient) => getImageScanReport(client, imageId, severities),
    [imageId, severities],
  );
  const image = useApiQuery(loadImage);
  const sbom = useApiQuery(loadSbom);
  const report = useApiQuery(loadReport);

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="The test image of a build: what it holds and what its scan found."
        >
          {imageId}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {image.error !== undefined && (
          <ApiErrorAlert
            header="Could not load the image"
            error={image.error}
            onRetry={image.reload}
          />
        )}
        <Container header={<Header variant="h2">Image details</Header>}>
          <KeyValuePairs
            columns={3}
            items={[
              { label: 'Image ID', value: imageId },
              { label: 'OS version', value: image.data?.osVersion ?? '-' },
              { label: 'Kind', value: image.data?.kind ?? '-' },
              {
                label: 'Created',
                value:
                  image.data === undefined ? '-' : new Date(image.data.createdAt).toLocaleString(),
              },
              {
                label: 'Scan gate',
                value:
                  report.data === undefined ? (
                    '-'
                  ) : report.data.gate.passed ? (
                    <StatusIndicator type="success">Passed</StatusIndicator>
                  ) : (
                    <StatusIndicator type="error">Failed</StatusIndicator>
                  ),
              },
              {
                label: 'Manifest digest',
                value: <code>{image.data?.manifestDigest ?? '-'}</code>,
              },
            ]}
          />
        </Container>
        <Tabs
          tabs={[
            {
              id: 'sbom',
              label: 'SBOM',
              content: (
                <SpaceBetween size="s">
                  {sbom.error !== undefined && (
                    <ApiErrorAlert
                      header="Could not load the SBOM"
                      error={sbom.error}
                      onRetry={sbom.reload}
                    />
                  )}
                  <DetailTable
                    title="SBOM packages"
                    noun="packages"
                    items={sbom.data}
                    loading={sbom.loading}
                    columns={SBOM_COLUMNS}
                    empty="The SBOM lists no packages."
                  />
                </SpaceBetween>
              ),
            },
            {
              id: 'vulnerabilities',
              label: 'Vulnerabilities',
              content: (
                <SpaceBetween size="s">
                  {report.error !== undefined && (
                    <ApiErrorAlert
                      header="Could not load the scan report"
                      error={report.error}
                      onRetry={report.reload}
                    />
                  )}
                  <DetailTable
                    title="Vulnerabilities"
                    noun="vulnerabilities"
                    items={report.data?.vulnerabilities}
                    loading={report.loading}
                    columns={VULNERABILITY_COLUMNS}
                    empty={
                      severities.length === 0
                        ? 'The scan found no vulnerabilities.'
                        : 'No vulnerabilities of the chosen severities.'
                    }
                    filters={
                      <FormField label="Filter by severity">
                        <Multiselect
                          selectedOptions={severities.map((s) => ({ value: s, label: s }))}
                          options={SEVERITIES.map((s) => ({ value: s, label: s }))}
                          onChange={({ detail }) =>
                            setSeverities(detail.selectedOptions.map((o) => o.value ?? ''))
                          }
                          placeholder="All severities"
                        />
                      </FormField>
                    }
                  />
                </SpaceBetween>
              ),
            },
            {
              id: 'policy',
              label: 'Policy findings',
              content: (
                <DetailTable
                  title="Policy findings"
                  noun="policy findings"
                  items={report.data?.policy.violations}
                  loading={report.loading}
                  columns={POLICY_COLUMNS}
                  empty="No policy findings."
                />
              ),
            },
            {
              id: 'downloads',
              label: 'Downloads',
              content: (
                <Container header={<Header variant="h2">Downloads</Header>}>
                  <SpaceBetween size="xs">
                    <Link external href={imageSbomHref(imageId)}>
                      SBOM (CycloneDX JSON)
                    </Link>
                    {REPORT_FORMATS.map((format) => (
                      <Link key={format} external href={imageScanReportHref(imageId, format)}>
                        Scan report: {FORMAT_LABELS[format]}
                      </Link>
                    ))}
                    <Box color="text-body-secondary" fontSize="body-s">
                      Downloads use your console session.
                    </Box>
                  </SpaceBetween>
                </Container>
              ),
            },
          ]}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}
