import { errorCode } from '@buybuy/client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { findCategory, orderImages, stockLabel, thumbnailOf } from '../catalog';
import { AddToCart } from '../components/AddToCart';
import { ProductImage } from '../components/ProductImage';
import { ErrorNotice, Loading } from '../components/ui';
import { useMoney } from '../money';
import { categoryTreeQuery, productQuery } from '../queries';

export default function ProductPage() {
  const { id = '' } = useParams();
  const product = useQuery(productQuery(id));
  // The tree is usually cached from the listing; until it arrives the breadcrumb names the category alone.
  const categories = useQuery(categoryTreeQuery);
  const money = useMoney();
  const categoryPath =
    product.data && findCategory(categories.data ?? [], String(product.data.category.id));

  if (product.isPending) return <Loading>Loading the product…</Loading>;
  if (product.isError) {
    const missing =
      errorCode(product.error) === 'NOT_FOUND' || errorCode(product.error) === 'VALIDATION';
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
          {(categoryPath ?? [p.category]).map((node) => (
            <li key={node.id}>
              <Link to={`/?category=${node.id}`}>{node.name}</Link>
            </li>
          ))}
        </ol>
      </nav>
      {/* On a phone the name and price come before the picture (grid areas in styles.css). */}
      <article className="product">
        <div className="product-head">
          <h1>{p.name}</h1>
          <p className="price price-large">{money.format(p.price)}</p>
          <p className={inStock ? 'stock in-stock' : 'stock out-of-stock'}>
            {stockLabel(p.stock_quantity)}
            {inStock && p.stock_quantity <= 5 && ` (only ${p.stock_quantity} left)`}
          </p>
        </div>
        <Gallery key={p.id} images={orderImages(p.images)} name={p.name} />
        <div className="product-info">
          <AddToCart productId={p.id} name={p.name} stock={p.stock_quantity} />
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
        <ProductImage
          key={current.id}
          src={current.image_url}
          alt={current.alt_text || name}
          width={640}
          height={640}
          fetchPriority="high"
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
                <ProductImage
                  src={thumbnailOf(image)}
                  alt=""
                  width={72}
                  height={72}
                  loading="lazy"
                />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
