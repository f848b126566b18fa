import { type ReactNode, useState, useSyncExternalStore } from 'react';

/** The width from which the catalog shows its side panel and filters open (styles.css uses the same). */
const WIDE = '(min-width: 48rem)';

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/**
 * A panel that is always open on a wide screen (under its heading) and folds
 * behind a button on a phone, so the products come first there. `open` opens
 * it on a phone too, e.g. while it shows an error.
 */
export function Collapsible({
  id,
  heading,
  summary = heading,
  open: forceOpen = false,
  headingHiddenWhenWide = false,
  className,
  children,
}: {
  /** The heading's id, for the landmark that this panel labels. */
  id: string;
  heading: string;
  /** The button's text on a phone, e.g. "Filter and sort (2 active)". */
  summary?: string;
  open?: boolean;
  /** On a wide screen the heading is for screen readers only (the panel speaks for itself). */
  headingHiddenWhenWide?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const wide = useMediaQuery(WIDE);
  const [open, setOpen] = useState(false);
  if (wide) {
    return (
      <div className={className}>
        <h2 id={id} className={headingHiddenWhenWide ? 'visually-hidden' : undefined}>
          {heading}
        </h2>
        {children}
      </div>
    );
  }
  return (
    <details
      className={['collapsible', className].filter(Boolean).join(' ')}
      open={open || forceOpen}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>
        <h2 id={id}>{summary}</h2>
      </summary>
      {children}
    </details>
  );
}
