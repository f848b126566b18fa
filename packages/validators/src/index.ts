/**
 * The zod rules the API and the apps' forms share: one definition per
 * concept, so a form refuses exactly what the server would. Pure zod, safe in
 * a browser bundle; OpenAPI descriptions are added by the API (shared/schemas).
 * The money rules are plain functions underneath (amounts.ts), so a page that
 * only checks a price filter ships no zod.
 */
export { emailSchema, passwordSchema, usernameSchema } from './account';
export {
  type AmountResult,
  checkPriceFilter,
  isPriceRangeReversed,
  MONEY_FORM_MESSAGE,
  normaliseDecimalComma,
  parseAmount,
  PRICE_RANGE_MESSAGE,
  type PriceFilter,
  readFormAmount,
} from './amounts';
export {
  MAX_PASSWORD_BYTES,
  MIN_PASSWORD_LENGTH,
  MIN_USERNAME_LENGTH,
  passwordByteLength,
} from './limits';
export { moneyAmount, moneyFormInput, moneyInput } from './money';
export { idSchema, wholeNumber } from './numbers';
