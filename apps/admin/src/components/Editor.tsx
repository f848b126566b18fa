import { useMutation } from '@tanstack/react-query';
import { Fragment, type ReactNode, useState } from 'react';

import { Card } from './Card';

interface Named {
  id: number;
  name: string;
}

/**
 * A list's add form and, for the row being edited, an edit form beside it.
 * `noun` names the thing in status messages and buttons ("shipping method").
 * A status lasts until the next action: starting an edit, an add or a save clears it.
 */
export function useEditor<Item extends Named, Values>({
  noun,
  create,
  update,
  invalidate,
  setStatus,
}: {
  noun: string;
  create: (values: Values) => Promise<Named>;
  update: (input: Values & { id: number }) => Promise<Named>;
  invalidate: () => Promise<unknown>;
  setStatus: (message: string) => void;
}) {
  const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
  const [editing, setEditing] = useState<Item | null>(null);
  // Bumped with the "created" message, so the add form empties in that same render
  // (keying on the mutation's data would empty it later, after the refetch,
  // wiping whatever was typed meanwhile).
  const [createdCount, setCreatedCount] = useState(0);
  const creation = useMutation({
    mutationFn: create,
    onMutate: () => setStatus(''),
    onSuccess: async (item) => {
      setStatus(`${Noun} “${item.name}” created.`);
      setCreatedCount((count) => count + 1);
      await invalidate();
    },
  });
  const updating = useMutation({
    mutationFn: update,
    onMutate: () => setStatus(''),
    onSuccess: async (item) => {
      setStatus(`${Noun} “${item.name}” saved.`);
      setEditing(null);
      await invalidate();
    },
  });
  const edit = (item: Item) => {
    setStatus('');
    updating.reset();
    setEditing(item);
  };
  return {
    noun,
    editing,
    edit,
    stopEditing: () => setEditing(null),
    createdCount,
    creation,
    updating,
  };
}

export interface EditorFormProps<Values> {
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: Values) => void;
  onCancel?: () => void;
}

/** The edit card (while a row is being edited) above the add card; `form` draws either. */
export function EditorCards<Item extends Named, Values>({
  editor,
  form,
}: {
  editor: ReturnType<typeof useEditor<Item, Values>>;
  form: (props: EditorFormProps<Values>, item?: Item) => ReactNode;
}) {
  const { noun, editing, creation, updating } = editor;
  return (
    <div className="stack">
      {editing && (
        <Card id="edit-heading" title={`Edit “${editing.name}”`}>
          <Fragment key={editing.id}>
            {form(
              {
                submitLabel: `Save ${noun}`,
                pending: updating.isPending,
                error: updating.error,
                onSubmit: (values) => updating.mutate({ id: editing.id, ...values }),
                onCancel: editor.stopEditing,
              },
              editing,
            )}
          </Fragment>
        </Card>
      )}
      <Card id="create-heading" title={`Add a ${noun}`}>
        {/* A fresh, empty form after each one added. */}
        <Fragment key={editor.createdCount}>
          {form({
            submitLabel: `Add ${noun}`,
            pending: creation.isPending,
            error: creation.error,
            onSubmit: (values) => creation.mutate(values),
          })}
        </Fragment>
      </Card>
    </div>
  );
}
