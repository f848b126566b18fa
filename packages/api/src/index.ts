export { appRouter, type AppRouter, type RouterInputs, type RouterOutputs } from './router';
export { createApi, type Api, type ApiOptions } from './api';
export {
  authorize,
  createContext,
  type Access,
  type Context,
  type ErrorData,
  type ProcedureMeta,
  type RequestInfo,
  type Viewer,
} from './trpc';
export {
  AppError,
  ERROR_CODES,
  httpStatusOf,
  invalidField,
  toAppError,
  type ErrorCode,
  type FieldError,
} from './errors';
export { isPage } from './shared/schemas';
export {
  operationTable,
  routerProcedures,
  type Operation,
  type OperationTable,
  type ProcedureEntry,
} from './operations';
export { withTimeout } from './shared/timeout';
