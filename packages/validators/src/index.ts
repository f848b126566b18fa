/**
 * The zod rules the API and the apps' forms share: one definition per
 * concept, so a form refuses exactly what the server would. Pure zod, safe in
 * a browser bundle; OpenAPI descriptions are added by the API (shared/schemas).
 */
export { emailSchema, passwordSchema, usernameSchema } from './account';
export {
  MAX_PASSWORD_BYTES,
  MIN_PASSWORD_LENGTH,
  MIN_USERNAME_LENGTH,
  passwordByteLength,
} from './limits';
export {
  checkPriceFilter,
  isPriceRangeReversed,
  MONEY_FORM_MESSAGE,
  moneyAmount,
  moneyFormInput,
  moneyInput,
  normaliseDecimalComma,
  PRICE_RANGE_MESSAGE,
  type PriceFilter,
} from './money';
export { idSchema, wholeNumber } from './numbers';
