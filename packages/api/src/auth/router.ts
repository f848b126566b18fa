import { z } from 'zod';

import { authedProcedure, credentialProcedure, router } from '../trpc';
import { loginInput, refreshInput, registerInput, sessionSchema, tokensSchema } from './schemas';
import { loginUser, refreshTokens, registerUser } from './service';

const tags = ['auth'];

export const authRouter = router({
  register: credentialProcedure
    .meta({
      successStatus: 201,
      openapi: {
        method: 'POST',
        path: '/auth/register',
        tags,
        protect: false,
        summary: 'Create an account and sign in',
        errorResponses: {
          400: 'Validation failed',
          409: 'Email or username taken',
          429: 'Rate limited',
        },
      },
    })
    .input(registerInput)
    .output(sessionSchema)
    .mutation(({ ctx, input }) => registerUser(ctx.db, ctx.auth, input)),

  login: credentialProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/login',
        tags,
        protect: false,
        summary: 'Sign in with email and password',
        errorResponses: {
          400: 'Validation failed',
          401: 'Invalid email or password',
          403: 'Account disabled',
          429: 'Rate limited',
        },
      },
    })
    .input(loginInput)
    .output(sessionSchema)
    .mutation(({ ctx, input }) => loginUser(ctx.db, ctx.auth, input)),

  refresh: credentialProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/refresh',
        tags,
        protect: false,
        summary: 'Rotate a refresh token for a new token pair',
        description:
          'The presented refresh token stops working. Presenting an already-rotated token revokes its session.',
        errorResponses: {
          400: 'Validation failed',
          401: 'Invalid, expired or reused refresh token',
          429: 'Rate limited',
        },
      },
    })
    .input(refreshInput)
    .output(z.object({ tokens: tokensSchema }))
    .mutation(({ ctx, input }) => refreshTokens(ctx.auth, input.refresh_token)),

  logout: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/logout',
        tags,
        summary: 'End this session (refresh and access token)',
        errorResponses: { 401: 'Missing, expired or invalid token', 429: 'Rate limited' },
      },
    })
    .input(z.object({}).strict())
    .output(z.null())
    .mutation(async ({ ctx }) => {
      await ctx.auth.signOut(ctx.user.session_id);
      return null;
    }),
});
