import { Link } from 'react-router';

import { type ListItem, stockLabel, thumbnailOf } from '../catalog';
import { useMoney } from '../money';
import { AddToCart } from './AddToCart';
import { ProductImage } from './ProductImage';

/**
 * Cards above the fold load at once; the rest wait until they are scrolled near.
 * The image is decorative here (alt=""): the product's name beside it names the link.
 */
export function ProductCard({ product, eager }: { product: ListItem; eager: boolean }) {
  const money = useMoney();
  const image = product.primary_image;
  const inStock = product.stock_quantity > 0;
  return (
    <li className="product-card">
      <Link to={`/products/${product.id}`} className="product-card-link">
        <div className="image-box">
          {image ? (
            <ProductImage
              src={thumbnailOf(image)}
              alt=""
              width={320}
              height={320}
              loading={eager ? 'eager' : 'lazy'}
            />
          ) : (
            <span className="no-image">No image</span>
          )}
        </div>
        <h3 className="product-name">{product.name}</h3>
      </Link>
      <p className="price">{money.format(product.price)}</p>
      <p className={inStock ? 'stock in-stock' : 'stock out-of-stock'}>
        {stockLabel(product.stock_quantity)}
      </p>
      <AddToCart
        productId={product.id}
        name={product.name}
        stock={product.stock_quantity}
        compact
      />
    </li>
  );
}
