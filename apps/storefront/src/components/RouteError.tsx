import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown when a route fails to render or its code cannot be downloaded (a deploy, a lost connection). */
export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main id="main" className="container">
      <title>{notFound ? 'Page not found · BuyBuy' : 'Something went wrong · BuyBuy'}</title>
      <h1>{notFound ? 'Page not found' : 'Something went wrong'}</h1>
      <div role="alert">
        <p>
          {notFound
            ? 'There is no page at this address.'
            : 'This page could not be shown. Reloading usually helps.'}
        </p>
      </div>
      <p>
        {!notFound && (
          <button type="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        )}{' '}
        <Link to="/">Back to the shop</Link>
      </p>
    </main>
  );
}
