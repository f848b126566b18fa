import { type UseQueryResult } from '@tanstack/react-query';
import { type ReactNode } from 'react';

import { Empty, ErrorState, Loading, type PageInfo, Pagination, SelectField } from './ui';

interface Page<Item> {
  items: readonly Item[];
  pagination: PageInfo;
}

/**
 * One page of a list, in a table, with its pages below. While another page
 * loads the current one stays (dimmed); a failure then shows above it.
 */
export function PagedTable<Item>({
  list,
  loadingLabel,
  shownFields,
  empty,
  caption,
  head,
  row,
  pagesLabel,
  onPage,
}: {
  list: UseQueryResult<Page<Item>>;
  loadingLabel: string;
  /** Filters whose field errors appear beside their fields. */
  shownFields: readonly string[];
  /** What an empty page says. */
  empty: string;
  caption: (pagination: PageInfo) => ReactNode;
  /** The header row's cells. */
  head: ReactNode;
  row: (item: Item) => ReactNode;
  pagesLabel: string;
  onPage: (page: number) => void;
}) {
  const page = list.data;
  if (list.isPending) return <Loading label={loadingLabel} />;
  if (!page) {
    return (
      <ErrorState
        error={list.error}
        shownFields={shownFields}
        onRetry={() => void list.refetch()}
      />
    );
  }
  if (page.items.length === 0) {
    return (
      <Empty>
        <p>{empty}</p>
      </Empty>
    );
  }
  return (
    <>
      {list.isError && <ErrorState error={list.error} shownFields={shownFields} />}
      <div className="table-wrap" aria-busy={list.isFetching}>
        <table>
          <caption className="visually-hidden">{caption(page.pagination)}</caption>
          <thead>
            <tr>{head}</tr>
          </thead>
          <tbody>{page.items.map(row)}</tbody>
        </table>
      </div>
      <Pagination label={pagesLabel} pagination={page.pagination} onPage={onPage} />
    </>
  );
}

const PAGE_SIZES = [10, 20, 50, 100];

export function PerPageField({
  value,
  onChange,
}: {
  value: number | string | undefined;
  onChange: (size: string) => void;
}) {
  return (
    <SelectField
      label="Per page"
      name="per_page"
      value={String(value)}
      onChange={(event) => onChange(event.target.value)}
    >
      {PAGE_SIZES.map((size) => (
        <option key={size}>{size}</option>
      ))}
    </SelectField>
  );
}
