import { Link, useSearchParams } from 'react-router';

import { type CategoryNode, filtersToParams, findCategory, readFilters } from '../catalog';

/** The category tree as nested links; each keeps the other filters and starts again at page 1. */
/** Top-level categories are always listed; deeper ones open along the path to the current category. */
export function CategoryTree({
  nodes,
  current,
}: {
  nodes: readonly CategoryNode[];
  current: string | undefined;
}) {
  const [params] = useSearchParams();
  const open = new Set((findCategory(nodes, current) ?? []).map((node) => node.id));
  const filters = readFilters(params);
  const href = (category: string | undefined) =>
    `/?${filtersToParams({ ...filters, category, page: undefined }).toString()}`;

  const renderNodes = (list: readonly CategoryNode[]) => (
    <ul>
      {list.map((node) => (
        <li key={node.id}>
          <Link
            to={href(String(node.id))}
            aria-current={current === String(node.id) ? 'page' : undefined}
          >
            {node.name}
          </Link>
          {open.has(node.id) &&
            node.children &&
            node.children.length > 0 &&
            renderNodes(node.children)}
        </li>
      ))}
    </ul>
  );

  return (
    <div className="category-tree">
      <ul>
        <li>
          <Link to={href(undefined)} aria-current={current === undefined ? 'page' : undefined}>
            All products
          </Link>
        </li>
      </ul>
      {renderNodes(nodes)}
    </div>
  );
}
