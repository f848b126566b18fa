import { type ReactNode } from 'react';
import { Link } from 'react-router';

/** Where a record's page sits: its list, then the record. */
export function Breadcrumb({
  to,
  list,
  children,
}: {
  to: string;
  list: string;
  children: ReactNode;
}) {
  return (
    <p className="breadcrumb">
      <Link to={to}>{list}</Link> / {children}
    </p>
  );
}
