import type { RouterInputs, RouterOutputs } from '@buybuy/client';
import { useQuery } from '@tanstack/react-query';

import { queries } from './api';

export type CategoryNode = RouterOutputs['categories']['list'][number];
export interface FlatCategory {
  category: CategoryNode;
  depth: number;
  /** Names from the top of the tree down to this one: ['Fashion', 'Men', 'Shoes']. */
  path: string[];
}

const TREE_INPUT: RouterInputs['categories']['list'] = { tree: true, include_inactive: true };

/** The whole tree, inactive categories included, as admins see it. */
export function useCategoryTree() {
  return useQuery(queries.categories.list.queryOptions(TREE_INPUT));
}

/** Depth-first, so a select lists each category right after its parent. */
export function flatten(nodes: readonly CategoryNode[], above: string[] = []): FlatCategory[] {
  return nodes.flatMap((category) => {
    const path = [...above, category.name];
    return [{ category, depth: above.length, path }, ...flatten(category.children ?? [], path)];
  });
}

/** The category's whole path ("Fashion › Men › Shoes"): two "Shoes" under different parents stay apart. */
export const pathName = ({ path }: FlatCategory) => path.join(' › ');

/** An option label: the path, and whether the shop hides it. */
export function categoryLabel(entry: FlatCategory) {
  return `${pathName(entry)}${entry.category.is_active ? '' : ' (inactive)'}`;
}
