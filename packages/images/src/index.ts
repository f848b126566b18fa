export { createImageStorage, type StorageSettings } from './factory';
export {
  deleteImages,
  imageFiles,
  imageKeyOf,
  ORIGINAL_EXTENSIONS,
  type OriginalExtension,
  originalKey,
} from './files';
export { contentKey } from './key';
export { originalOf, storeVariantsOf, type VariantUrls } from './original';
export {
  createS3ImageStorage,
  IMMUTABLE_CACHE_CONTROL,
  s3Client,
  type S3StorageSettings,
} from './s3';
export { createLocalImageStorage, type ImageStorage, keyUnder } from './storage';
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
