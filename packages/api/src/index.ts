export { appRouter, type AppRouter, type RouterInputs, type RouterOutputs } from './router';
export { createApi, type Api, type ApiOptions } from './api';
export {
  createContext,
  type Context,
  type ErrorData,
  type ProcedureMeta,
  type RequestInfo,
  type Viewer,
} from './trpc';
export { AppError, type FieldError } from './errors';
export { isPage } from './shared/schemas';
