import type { JobDefinition } from './definition';
import { sendEmail } from './email';
import { deleteImageFiles, makeImageVariants } from './images';
import {
  sweepAbandonedGuestCarts,
  sweepExpiredSessions,
  sweepRotatedRefreshTokens,
} from './sweeps';

export * from './bullmq';
export * from './definition';
export * from './email';
export * from './embedded';
export * from './images';
export * from './queue';
export * from './sweeps';

/** Every job BuyBuy defines: the worker and the embedded queue run these. */
export const jobDefinitions: readonly JobDefinition[] = [
  sweepExpiredSessions,
  sweepRotatedRefreshTokens,
  sweepAbandonedGuestCarts,
  makeImageVariants,
  deleteImageFiles,
  sendEmail,
] as JobDefinition[];
