export { contentKey } from './key';
export { createLocalImageStorage, type ImageStorage } from './storage';
export { storeSvgImage } from './svg';
export {
  IMAGE_VARIANTS,
  type ImageVariant,
  type ImageVariants,
  makeVariants,
  saveVariants,
  variantKey,
  type VariantOptions,
} from './variants';
