import { z } from 'zod';

import { spendEmailBudget } from '../emails';
import { noInput } from '../shared/schemas';
import { authedProcedure, credentialProcedure, router } from '../trpc';
import {
  confirmEmailChange,
  requestPasswordReset,
  resetPassword,
  sendVerification,
  verifyEmail,
} from './recovery';
import {
  emailStatusSchema,
  linkTokenInput,
  loginInput,
  passwordResetInput,
  passwordResetRequestInput,
  refreshInput,
  registerInput,
  sessionSchema,
  tokensSchema,
} from './schemas';
import { loginUser, refreshTokens, registerUser } from './service';

const tags = ['auth'];

const LINK_ERRORS = {
  400: 'Validation failed, LINK_INVALID (unknown, used or replaced link) or LINK_EXPIRED',
  429: 'Rate limited',
};

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
    .mutation(({ ctx, input }) => registerUser(ctx.db, ctx.auth, ctx.emails, input)),

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

  requestPasswordReset: credentialProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/password-reset',
        tags,
        protect: false,
        summary: 'Email a link to choose a new password',
        description:
          'Answers the same whether or not the address has an account. The link works once, for one hour. Limited per address (RATE_LIMIT_EMAIL_MAX an hour) and per IP.',
        errorResponses: { 400: 'Validation failed', 429: 'Rate limited' },
      },
    })
    .input(passwordResetRequestInput)
    .output(z.null())
    .mutation(async ({ ctx, input }) => {
      await spendEmailBudget(ctx, input.email);
      return requestPasswordReset(ctx.db, ctx.emails, input.email);
    }),

  resetPassword: credentialProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/password-reset/confirm',
        tags,
        protect: false,
        summary: "Set a new password with the emailed link's token",
        description:
          'Ends every session of the account: its access and refresh tokens stop working. Sign in again with the new password.',
        errorResponses: LINK_ERRORS,
      },
    })
    .input(passwordResetInput)
    .output(z.null())
    .mutation(({ ctx, input }) => resetPassword(ctx.db, ctx.auth, input)),

  verifyEmail: credentialProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/verify-email',
        tags,
        protect: false,
        summary: "Confirm the account's email with the emailed link's token",
        errorResponses: LINK_ERRORS,
      },
    })
    .input(linkTokenInput)
    .output(emailStatusSchema)
    .mutation(({ ctx, input }) => verifyEmail(ctx.db, input.token)),

  resendVerification: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/verify-email/resend',
        tags,
        summary: 'Email a new verification link to your address',
        description:
          'Nothing is sent when the address is verified already. Earlier links stop working. Limited per address (RATE_LIMIT_EMAIL_MAX an hour).',
        errorResponses: { 401: 'Missing, expired or invalid token', 429: 'Rate limited' },
      },
    })
    .input(noInput)
    .output(z.null())
    .mutation(async ({ ctx }) => {
      await spendEmailBudget(ctx, ctx.user.email);
      return sendVerification(ctx.db, ctx.emails, ctx.user.id);
    }),

  confirmEmailChange: credentialProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/email-change/confirm',
        tags,
        protect: false,
        summary: "Move the account to its new email with the link's token",
        description:
          'The link went to the new address (users.requestEmailChange); the account keeps its old address until this call. The new address counts as verified.',
        errorResponses: { ...LINK_ERRORS, 409: 'EMAIL_TAKEN: another account has the address now' },
      },
    })
    .input(linkTokenInput)
    .output(emailStatusSchema)
    .mutation(({ ctx, input }) => confirmEmailChange(ctx.db, input.token)),
});
