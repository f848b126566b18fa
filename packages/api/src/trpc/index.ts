// The router's building blocks: `import { adminProcedure, router } from '../trpc'`.
export {
  createCallerFactory,
  createContext,
  middleware,
  router,
  type Access,
  type ApiDeps,
  type Authenticator,
  type Context,
  type ProcedureMeta,
  type RequestInfo,
  type Viewer,
} from './init';
export type { ErrorData } from './error-format';
export { authorize } from './middlewares';
export {
  adminProcedure,
  authedProcedure,
  credentialProcedure,
  publicProcedure,
} from './procedures';
