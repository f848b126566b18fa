import { type ImgHTMLAttributes, useState } from 'react';

/** An image in a fixed box; when it cannot be loaded the box says so instead of showing a broken icon. */
export function ProductImage(
  props: ImgHTMLAttributes<HTMLImageElement> & { src: string; alt: string },
) {
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  if (failedSrc === props.src) {
    return props.alt ? (
      <span className="no-image" role="img" aria-label={props.alt}>
        Image unavailable
      </span>
    ) : (
      <span className="no-image" aria-hidden="true">
        Image unavailable
      </span>
    );
  }
  return <img decoding="async" {...props} onError={() => setFailedSrc(props.src)} />;
}
