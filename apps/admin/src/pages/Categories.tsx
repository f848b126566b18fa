import { errorCode } from '@buybuy/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import { type CategoryNode, flatten, pathName, useCategoryTree } from '../categories';
import { Card } from '../components/Card';
import { CategoryForm, type CategoryValues } from '../components/CategoryForm';
import { DeleteDialog, useDeletion } from '../components/DeleteDialog';
import { EditorCards, useEditor } from '../components/Editor';
import { RowButton } from '../components/RowButton';
import { Alert, Empty, ErrorState, LiveRegion, Loading, usePageTitle } from '../components/ui';

export default function Categories() {
  usePageTitle('Categories');
  const queryClient = useQueryClient();
  const tree = useCategoryTree();
  const [status, setStatus] = useState('');

  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries(queries.categories.list.pathFilter()),
      // Products show their category and hide with it.
      queryClient.invalidateQueries(queries.products.list.pathFilter()),
      queryClient.invalidateQueries(queries.products.byId.pathFilter()),
    ]);

  const editor = useEditor<CategoryNode, CategoryValues>({
    noun: 'category',
    create: (values) => api.categories.create.mutate(values),
    update: (input) => api.categories.update.mutate(input),
    invalidate,
    setStatus,
  });
  const toggle = useMutation({
    mutationFn: (category: CategoryNode) =>
      api.categories.update.mutate({ id: category.id, is_active: !category.is_active }),
    onMutate: () => setStatus(''),
    onSuccess: async (category) => {
      setStatus(
        `Category “${category.name}” is now ${category.is_active ? 'active' : 'inactive'}.`,
      );
      await invalidate();
    },
  });
  const deletion = useDeletion({
    remove: (category: CategoryNode) => api.categories.delete.mutate({ id: category.id }),
    onAsk: () => setStatus(''),
    onDeleted: (category) => {
      setStatus(`Category “${fullName(category)}” deleted.`);
      if (editor.editing?.id === category.id) editor.stopEditing();
      return invalidate();
    },
  });
  const removeError = deletion.mutation.error;

  const all = flatten(tree.data ?? []);
  // Two categories may share a name under different parents: say which one by its path.
  const fullName = (category: CategoryNode) => {
    const entry = all.find((candidate) => candidate.category.id === category.id);
    return entry ? pathName(entry) : category.name;
  };

  return (
    <>
      <h1>Categories</h1>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      {toggle.error && <ErrorState error={toggle.error} />}

      <div className="columns">
        <Card id="tree-heading" title="Category tree">
          {tree.isPending ? (
            <Loading label="Loading categories…" />
          ) : tree.isError ? (
            <ErrorState error={tree.error} onRetry={() => void tree.refetch()} />
          ) : all.length === 0 ? (
            <Empty>
              <p>No categories yet. Add the first one with the form.</p>
            </Empty>
          ) : (
            <CategoryTree
              nodes={tree.data}
              editingId={editor.editing?.id}
              onEdit={editor.edit}
              onToggle={(category) => toggle.mutate(category)}
              onDelete={deletion.ask}
              busyId={toggle.isPending ? toggle.variables.id : undefined}
            />
          )}
        </Card>

        <EditorCards
          editor={editor}
          form={(props, category) => (
            <CategoryForm {...props} category={category} categories={all} />
          )}
        />
      </div>

      <DeleteDialog
        deletion={deletion}
        confirmLabel="Delete category"
        nameOf={fullName}
        error={removeError && errorCode(removeError) !== 'CATEGORY_NOT_EMPTY' ? removeError : null}
      >
        {errorCode(removeError) === 'CATEGORY_NOT_EMPTY' ? (
          <Alert>
            <p>
              “{deletion.deleting && fullName(deletion.deleting)}” cannot be deleted because it
              still contains subcategories or products. Move them to another category or delete them
              first, or deactivate this category instead to hide it from the shop.
            </p>
          </Alert>
        ) : (
          <p>This removes the category for good. Only empty categories can be deleted.</p>
        )}
      </DeleteDialog>
    </>
  );
}

function CategoryTree({
  nodes,
  editingId,
  busyId,
  onEdit,
  onToggle,
  onDelete,
  nested = false,
}: {
  nodes: readonly CategoryNode[];
  nested?: boolean;
  editingId: number | undefined;
  busyId: number | undefined;
  onEdit: (category: CategoryNode) => void;
  onToggle: (category: CategoryNode) => void;
  onDelete: (category: CategoryNode) => void;
}) {
  return (
    <ul className={nested ? undefined : 'tree'}>
      {nodes.map((category) => (
        <li key={category.id}>
          <div className={`tree-row${editingId === category.id ? ' selected' : ''}`}>
            <span className="tree-name">
              {category.name} <span className="muted">/{category.slug}</span>
              {!category.is_active && <span className="badge">Inactive</span>}
            </span>
            <span className="row-actions">
              <RowButton label={`Edit ${category.name}`} onClick={() => onEdit(category)}>
                Edit
              </RowButton>
              <RowButton
                label={`${category.is_active ? 'Deactivate' : 'Activate'} ${category.name}`}
                disabled={busyId === category.id}
                onClick={() => onToggle(category)}
              >
                {category.is_active ? 'Deactivate' : 'Activate'}
              </RowButton>
              <RowButton
                danger
                label={`Delete ${category.name}`}
                onClick={() => onDelete(category)}
              >
                Delete
              </RowButton>
            </span>
          </div>
          {category.children && category.children.length > 0 && (
            <CategoryTree
              nested
              nodes={category.children}
              editingId={editingId}
              busyId={busyId}
              onEdit={onEdit}
              onToggle={onToggle}
              onDelete={onDelete}
            />
          )}
        </li>
      ))}
    </ul>
  );
}
