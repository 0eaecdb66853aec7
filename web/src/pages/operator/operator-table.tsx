import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { ReactNode } from 'react';

export interface OperatorTableProps<T> {
  /** The table's heading (h2) and accessible name. */
  readonly title: string;
  /** The rows, plural and lower case: "tokens". */
  readonly resourceName: string;
  readonly description?: ReactNode;
  readonly actions?: ReactNode;
  readonly items: readonly T[] | undefined;
  readonly loading: boolean;
  readonly columns: readonly TableProps.ColumnDefinition<T>[];
  readonly trackBy: TableProps.TrackBy<T>;
  readonly empty: ReactNode;
  readonly pageSize?: number;
}

/**
 * A filtered, sorted and paginated table inside an operator page that has more
 * than one list (ResourceTable is a whole page); load errors are shown above it by the page.
 */
export function OperatorTable<T>(props: OperatorTableProps<T>): JSX.Element {
  const noun = props.resourceName;
  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } =
    useCollection(props.items ?? [], {
      filtering: {
        empty: <Centered>{props.empty}</Centered>,
        noMatch: (
          <Centered>
            No {noun} match the filter.{' '}
            <Button onClick={() => actions.setFiltering('')}>Clear filter</Button>
          </Centered>
        ),
      },
      pagination: { pageSize: props.pageSize ?? 10 },
      sorting: {},
    });
  return (
    <Table
      {...collectionProps}
      items={items}
      columnDefinitions={props.columns as TableProps.ColumnDefinition<T>[]}
      trackBy={props.trackBy}
      loading={props.loading && props.items === undefined}
      loadingText={`Loading ${noun}`}
      ariaLabels={{ tableLabel: props.title }}
      wrapLines
      header={
        <Header
          variant="h2"
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
  );
}

function Centered({ children }: { children: ReactNode }): JSX.Element {
  return (
    <Box textAlign="center" color="inherit" padding={{ vertical: 's' }}>
      {children}
    </Box>
  );
}

/** A date as the operator's browser shows dates, or a dash. */
export function formatDate(iso: string | null | undefined): string {
  return iso === null || iso === undefined ? '-' : new Date(iso).toLocaleString();
}
