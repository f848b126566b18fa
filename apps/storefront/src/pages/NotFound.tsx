import { Link } from 'react-router';

export default function NotFound() {
  return (
    <>
      <title>Page not found · BuyBuy</title>
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link to="/">Back to the shop</Link>
      </p>
    </>
  );
}
