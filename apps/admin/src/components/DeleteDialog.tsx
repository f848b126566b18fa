import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';

import { ConfirmDialog } from './ui';

interface Named {
  name: string;
}

/** Delete after a confirmation: `ask` opens the dialog afresh, success closes it. */
export function useDeletion<Item extends Named>({
  remove,
  onDeleted,
}: {
  remove: (item: Item) => Promise<unknown>;
  onDeleted: (item: Item) => Promise<unknown>;
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
    mutation.reset();
    setDeleting(item);
  };
  return { deleting, mutation, ask, cancel: () => setDeleting(null) };
}

export function DeleteDialog<Item extends Named>({
  deletion,
  confirmLabel,
  error = deletion.mutation.error,
  children,
}: {
  deletion: ReturnType<typeof useDeletion<Item>>;
  confirmLabel: string;
  /** The failure the dialog shows, when the body explains some itself. */
  error?: unknown;
  children: ReactNode;
}) {
  const { deleting, mutation } = deletion;
  return (
    <ConfirmDialog
      open={deleting !== null}
      title={`Delete “${deleting?.name ?? ''}”?`}
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
