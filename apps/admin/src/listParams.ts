import { useSearchParams } from 'react-router';

/**
 * A list's state (filters, sort, page) kept in the address, so a reload or a
 * shared link shows the same page. `update` sets or drops (null, '') the
 * given parameters and goes back to the first page unless told to keep it.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>, keepPage = false) => {
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
      }
      if (!keepPage) next.delete('page');
      return next;
    });
  };
  return [params, update] as const;
}
