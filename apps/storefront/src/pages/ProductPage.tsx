import { errorCode } from '@buybuy/client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { orderImages, stockLabel, thumbnailOf } from '../catalog';
import { ErrorNotice, Loading } from '../components/ui';
import { formatPrice } from '../money';
import { productQuery } from '../queries';

export default function ProductPage() {
  const { id = '' } = useParams();
  const product = useQuery(productQuery(id));

  if (product.isPending) return <Loading>Loading the product…</Loading>;
  if (product.isError) {
    const missing = errorCode(product.error) === 'NOT_FOUND' || errorCode(product.error) === 'VALIDATION';
    return (
      <>
        <title>{`${missing ? 'Product not found' : 'Product unavailable'} · BuyBuy`}</title>
        <h1>{missing ? 'Product not found' : 'This product could not be loaded'}</h1>
        <ErrorNotice
          error={product.error}
          message={missing ? 'This product does not exist or is no longer for sale.' : undefined}
          onRetry={missing ? undefined : () => void product.refetch()}
        />
        <p>
          <Link to="/">Back to all products</Link>
        </p>
      </>
    );
  }

  const p = product.data;
  const inStock = p.stock_quantity > 0;
  return (
    <>
      <title>{`${p.name} · BuyBuy`}</title>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/">All products</Link>
          </li>
          <li>
            <Link to={`/?category=${p.category.id}`}>{p.category.name}</Link>
          </li>
        </ol>
      </nav>
      <article className="product">
        <Gallery images={orderImages(p.images)} name={p.name} />
        <div className="product-info">
          <h1>{p.name}</h1>
          <p className="price price-large">{formatPrice(p.price)}</p>
          <p className={inStock ? 'stock in-stock' : 'stock out-of-stock'}>
            {stockLabel(p.stock_quantity)}
            {inStock && p.stock_quantity <= 5 && ` (only ${p.stock_quantity} left)`}
          </p>
          {p.description && (
            <section aria-labelledby="description-heading">
              <h2 id="description-heading">Description</h2>
              <p className="description">{p.description}</p>
            </section>
          )}
        </div>
      </article>
    </>
  );
}

function Gallery({ images, name }: { images: ReturnType<typeof orderImages>; name: string }) {
  const [selected, setSelected] = useState(0);
  const current = images[selected] ?? images[0];
  if (!current) {
    return (
      <div className="gallery">
        <div className="image-box image-box-large">
          <span className="no-image">No image</span>
        </div>
      </div>
    );
  }
  return (
    <div className="gallery">
      <div className="image-box image-box-large">
        <img
          key={current.id}
          src={current.image_url}
          alt={current.alt_text || name}
          width={640}
          height={640}
          fetchPriority="high"
          decoding="async"
        />
      </div>
      {images.length > 1 && (
        <ul className="thumbnails" aria-label="Product images">
          {images.map((image, index) => (
            <li key={image.id}>
              <button
                type="button"
                aria-label={`Show image ${index + 1} of ${images.length}`}
                aria-pressed={index === selected}
                onClick={() => setSelected(index)}
              >
                <img src={thumbnailOf(image)} alt="" width={72} height={72} loading="lazy" decoding="async" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
