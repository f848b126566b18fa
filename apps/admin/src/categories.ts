import type { RouterInputs, RouterOutputs } from '@buybuy/client';
import { useQuery } from '@tanstack/react-query';

import { queries } from './api';

export type CategoryNode = RouterOutputs['categories']['list'][number];
export interface FlatCategory {
  category: CategoryNode;
  depth: number;
}

const TREE_INPUT: RouterInputs['categories']['list'] = { tree: true, include_inactive: true };

/** The whole tree, inactive categories included, as admins see it. */
export function useCategoryTree() {
  return useQuery(queries.categories.list.queryOptions(TREE_INPUT));
}

/** Depth-first, so a select can show the tree by indentation. */
export function flatten(nodes: readonly CategoryNode[], depth = 0): FlatCategory[] {
  return nodes.flatMap((category) => [
    { category, depth },
    ...flatten(category.children ?? [], depth + 1),
  ]);
}

/** An option label that shows the nesting ("— — Running shoes"). */
export function indented({ category, depth }: FlatCategory) {
  return `${'\u2014 '.repeat(depth)}${category.name}${category.is_active ? '' : ' (inactive)'}`;
}
