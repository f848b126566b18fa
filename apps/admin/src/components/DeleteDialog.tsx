import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';

import { ConfirmDialog } from './ui';

interface Named {
  name: string;
}

/**
 * Delete after a confirmation: `ask` opens the dialog afresh (and calls `onAsk`,
 * e.g. to clear the last action's status), success closes it.
 */
export function useDeletion<Item extends Named>({
  remove,
  onDeleted,
  onAsk,
}: {
  remove: (item: Item) => Promise<unknown>;
  onDeleted: (item: Item) => Promise<unknown>;
  onAsk?: () => void;
}) {
  const [deleting, setDeleting] = useState<Item | null>(null);
  const mutation = useMutation({
    mutationFn: remove,
    onSuccess: async (_, item) => {
      setDeleting(null);
      await onDeleted(item);
    },
  });
  const ask = (item: Item) => {
    onAsk?.();
    mutation.reset();
    setDeleting(item);
  };
  return { deleting, mutation, ask, cancel: () => setDeleting(null) };
}

export function DeleteDialog<Item extends Named>({
  deletion,
  confirmLabel,
  nameOf = (item) => item.name,
  error = deletion.mutation.error,
  children,
}: {
  deletion: ReturnType<typeof useDeletion<Item>>;
  confirmLabel: string;
  /** How the title names the item, when its name alone is ambiguous (a category's path). */
  nameOf?: (item: Item) => string;
  /** The failure the dialog shows, when the body explains some itself. */
  error?: unknown;
  children: ReactNode;
}) {
  const { deleting, mutation } = deletion;
  return (
    <ConfirmDialog
      open={deleting !== null}
      title={`Delete “${deleting ? nameOf(deleting) : ''}”?`}
      confirmLabel={confirmLabel}
      busy={mutation.isPending}
      error={error}
      onConfirm={() => deleting && mutation.mutate(deleting)}
      onCancel={deletion.cancel}
    >
      {children}
    </ConfirmDialog>
  );
}
