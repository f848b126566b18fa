import { errorCode } from '@buybuy/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import { type CategoryNode, flatten, useCategoryTree } from '../categories';
import { CategoryForm, type CategoryValues } from '../components/CategoryForm';
import {
  Alert,
  ConfirmDialog,
  Empty,
  ErrorState,
  LiveRegion,
  Loading,
  usePageTitle,
} from '../components/ui';

export default function Categories() {
  usePageTitle('Categories');
  const queryClient = useQueryClient();
  const tree = useCategoryTree();
  const [editing, setEditing] = useState<CategoryNode | null>(null);
  const [deleting, setDeleting] = useState<CategoryNode | null>(null);
  const [status, setStatus] = useState('');
  // Bumped with the "created" message, so the form empties in that same render
  // (keying on the mutation's data would empty it later, after the refetch,
  // wiping whatever was typed meanwhile).
  const [createdCount, setCreatedCount] = useState(0);

  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries(queries.categories.list.pathFilter()),
      // Products show their category and hide with it.
      queryClient.invalidateQueries(queries.products.list.pathFilter()),
      queryClient.invalidateQueries(queries.products.byId.pathFilter()),
    ]);

  const create = useMutation({
    mutationFn: (values: CategoryValues) => api.categories.create.mutate(values),
    onSuccess: async (category) => {
      setStatus(`Category “${category.name}” created.`);
      setCreatedCount((count) => count + 1);
      await invalidate();
    },
  });
  const update = useMutation({
    mutationFn: (input: CategoryValues & { id: number }) => api.categories.update.mutate(input),
    onSuccess: async (category) => {
      setStatus(`Category “${category.name}” saved.`);
      setEditing(null);
      await invalidate();
    },
  });
  const toggle = useMutation({
    mutationFn: (category: CategoryNode) =>
      api.categories.update.mutate({ id: category.id, is_active: !category.is_active }),
    onSuccess: async (category) => {
      setStatus(
        `Category “${category.name}” is now ${category.is_active ? 'active' : 'inactive'}.`,
      );
      await invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (category: CategoryNode) => api.categories.delete.mutate({ id: category.id }),
    onSuccess: async (_, category) => {
      setStatus(`Category “${category.name}” deleted.`);
      setDeleting(null);
      if (editing?.id === category.id) setEditing(null);
      await invalidate();
    },
  });

  const all = flatten(tree.data ?? []);

  return (
    <>
      <h1>Categories</h1>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      {toggle.error && <ErrorState error={toggle.error} />}

      <div className="columns">
        <section aria-labelledby="tree-heading" className="card">
          <h2 id="tree-heading">Category tree</h2>
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
              editingId={editing?.id}
              onEdit={(category) => {
                update.reset();
                setEditing(category);
              }}
              onToggle={(category) => toggle.mutate(category)}
              onDelete={(category) => {
                remove.reset();
                setDeleting(category);
              }}
              busyId={toggle.isPending ? toggle.variables.id : undefined}
            />
          )}
        </section>

        <div className="stack">
          {editing && (
            <section aria-labelledby="edit-heading" className="card">
              <h2 id="edit-heading">Edit “{editing.name}”</h2>
              <CategoryForm
                key={editing.id}
                category={editing}
                categories={all}
                submitLabel="Save category"
                pending={update.isPending}
                error={update.error}
                onSubmit={(values) => update.mutate({ id: editing.id, ...values })}
                onCancel={() => setEditing(null)}
              />
            </section>
          )}
          <section aria-labelledby="create-heading" className="card">
            <h2 id="create-heading">Add a category</h2>
            <CategoryForm
              // A fresh, empty form after each category added.
              key={createdCount}
              categories={all}
              submitLabel="Add category"
              pending={create.isPending}
              error={create.error}
              onSubmit={(values) => create.mutate(values)}
            />
          </section>
        </div>
      </div>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete category"
        busy={remove.isPending}
        error={
          remove.error && errorCode(remove.error) !== 'CATEGORY_NOT_EMPTY' ? remove.error : null
        }
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      >
        {errorCode(remove.error) === 'CATEGORY_NOT_EMPTY' ? (
          <Alert>
            <p>
              “{deleting?.name}” cannot be deleted because it still contains subcategories or
              products. Move them to another category or delete them first, or deactivate this
              category instead to hide it from the shop.
            </p>
          </Alert>
        ) : (
          <p>This removes the category for good. Only empty categories can be deleted.</p>
        )}
      </ConfirmDialog>
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
              <button
                type="button"
                className="link-button"
                aria-label={`Edit ${category.name}`}
                onClick={() => onEdit(category)}
              >
                Edit
              </button>
              <button
                type="button"
                className="link-button"
                aria-label={`${category.is_active ? 'Deactivate' : 'Activate'} ${category.name}`}
                disabled={busyId === category.id}
                onClick={() => onToggle(category)}
              >
                {category.is_active ? 'Deactivate' : 'Activate'}
              </button>
              <button
                type="button"
                className="link-button danger"
                aria-label={`Delete ${category.name}`}
                onClick={() => onDelete(category)}
              >
                Delete
              </button>
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
