// The router's building blocks: `import { adminProcedure, router } from '../trpc'`.
export { type ErrorData, unknownFieldErrors } from './error-format';
export {
  type Access,
  type ApiDeps,
  type Authenticator,
  type Context,
  createCallerFactory,
  createContext,
  middleware,
  type ProcedureMeta,
  type RequestInfo,
  router,
  type Viewer,
} from './init';
export { authorize } from './middlewares';
export {
  adminProcedure,
  authedProcedure,
  catalogReadBase,
  credentialProcedure,
  publicProcedure,
} from './procedures';
