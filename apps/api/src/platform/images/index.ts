export {
  decodeImage,
  type ImageFormat,
  type ImageLimits,
  ImageRejectedError,
  type ImageRejection,
  type InspectedImage,
  inspectImage,
  openImage,
  sniffImageFormat,
} from './image-check.js';
export {
  toWebpVariants,
  type VariantOptions,
  variantWidthsFor,
  type WebpVariant,
  type WebpVariants,
} from './image-variants.js';
