export { type Api, type ApiOptions, createApi } from './api';
export {
  AppError,
  ERROR_CODES,
  type ErrorCode,
  type FieldError,
  httpStatusOf,
  invalidField,
  toAppError,
} from './errors';
export {
  type Operation,
  type OperationTable,
  operationTable,
  type ProcedureEntry,
  routerProcedures,
} from './operations';
export { type AppRouter, appRouter, type RouterInputs, type RouterOutputs } from './router';
export { isPage } from './shared/schemas';
export { withTimeout } from './shared/timeout';
export {
  type Access,
  authorize,
  type Context,
  createContext,
  type ErrorData,
  type ProcedureMeta,
  type RequestInfo,
  unknownFieldErrors,
  type Viewer,
} from './trpc';
