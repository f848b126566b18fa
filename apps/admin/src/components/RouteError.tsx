import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown when a screen fails to load (e.g. its chunk after a deploy) or throws while rendering. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error &&
        /dynamically imported module|Importing a module script/i.test(error.message)
      ? 'A new version of the admin panel is available. Reload the page to continue.'
      : 'Something went wrong while showing this page.';
  return (
    <main className="page narrow">
      <h1>Something went wrong</h1>
      <div className="alert alert-error" role="alert">
        <p>{message}</p>
      </div>
      <p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>{' '}
        <Link to="/">Go to the start page</Link>
      </p>
    </main>
  );
}
