import { Link, useSearchParams } from 'react-router';

import { filtersToParams, readFilters } from '../catalog';

export function Pagination({ page, totalPages }: { page: number; totalPages: number }) {
  const [params] = useSearchParams();
  if (totalPages <= 1) return null;
  const filters = readFilters(params);
  const href = (target: number) =>
    `/?${filtersToParams({ ...filters, page: String(target) }).toString()}`;
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          ← Previous page
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
      <span>
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? (
        <Link to={href(page + 1)} rel="next">
          Next page →
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}
