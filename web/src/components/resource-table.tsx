import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { ReactNode } from 'react';

import type { ApiError } from '../api/api-error.js';
import { ApiErrorAlert } from './api-error-alert.js';

export interface ResourceTableProps<T> {
  /** The heading and the table's accessible name: "Scan status". */
  readonly title: string;
  /**
   * `page` (the default): the page's one list, under an h1. `section`: one of
   * several lists on a page, under an h2, with wrapped lines and 10 rows a page.
   */
  readonly variant?: 'page' | 'section';
  /** What the rows are, plural and lower case, for messages and labels: "package groups". */
  readonly resourceName: string;
  readonly description?: ReactNode;
  /** Buttons in the header, such as Refresh. */
  readonly actions?: ReactNode;
  /** Undefined until the first load. */
  readonly items: readonly T[] | undefined;
  readonly loading: boolean;
  /** The last load's failure; a section's page may show it itself. */
  readonly error?: ApiError | undefined;
  readonly onRetry?: () => void;
  readonly columns: readonly TableProps.ColumnDefinition<T>[];
  readonly trackBy: TableProps.TrackBy<T>;
  /** What the list holds when empty, and what to do about it. */
  readonly empty: ReactNode;
  readonly pageSize?: number;
}

/**
 * A list the console's pages share: filtered by text, sorted by column,
 * paginated, with the loading, error and empty states every list needs.
 */
export function ResourceTable<T>(props: ResourceTableProps<T>): JSX.Element {
  const noun = props.resourceName;
  const section = props.variant === 'section';
  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } =
    useCollection(props.items ?? [], {
      filtering: {
        // After a failed first load the list is unknown, not empty; the alert above says why.
        empty: (
          <EmptyState>
            {props.error !== undefined && props.items === undefined
              ? `No ${noun} to show.`
              : props.empty}
          </EmptyState>
        ),
        noMatch: (
          <EmptyState>
            No {noun} match the filter.{' '}
            <Button onClick={() => actions.setFiltering('')}>Clear filter</Button>
          </EmptyState>
        ),
      },
      pagination: { pageSize: props.pageSize ?? (section ? 10 : 20) },
      sorting: {},
    });

  return (
    <SpaceBetween size="m">
      {props.error !== undefined && (
        <ApiErrorAlert
          header={`Could not load ${noun}`}
          error={props.error}
          {...(props.onRetry === undefined ? {} : { onRetry: props.onRetry })}
        />
      )}
      <Table
        {...collectionProps}
        items={items}
        columnDefinitions={props.columns as TableProps.ColumnDefinition<T>[]}
        trackBy={props.trackBy}
        loading={props.loading && props.items === undefined}
        loadingText={`Loading ${noun}`}
        variant={section ? 'container' : 'full-page'}
        wrapLines={section}
        ariaLabels={{ tableLabel: props.title }}
        header={
          <Header
            variant={section ? 'h2' : 'awsui-h1-sticky'}
            counter={props.items === undefined ? undefined : `(${props.items.length})`}
            description={props.description}
            actions={props.actions}
          >
            {props.title}
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringPlaceholder={`Find ${noun}`}
            filteringAriaLabel={`Filter ${noun}`}
            countText={
              filterProps.filteringText === '' ? undefined : `${filteredItemsCount ?? 0} matches`
            }
          />
        }
        pagination={<Pagination {...paginationProps} />}
      />
    </SpaceBetween>
  );
}

function EmptyState({ children }: { children: ReactNode }): JSX.Element {
  return (
    <Box textAlign="center" color="inherit" padding={{ vertical: 's' }}>
      {children}
    </Box>
  );
}
