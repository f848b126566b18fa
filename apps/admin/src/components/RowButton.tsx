import { type ButtonHTMLAttributes } from 'react';

/** A row's action as a link-styled button; `label` names the row ("Delete Garden rake"). */
export function RowButton({
  label,
  danger = false,
  ...button
}: { label: string; danger?: boolean } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      className={`link-button${danger ? ' danger' : ''}`}
      aria-label={label}
      {...button}
    />
  );
}
