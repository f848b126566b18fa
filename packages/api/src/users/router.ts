import { z } from 'zod';

import { spendEmailBudget } from '../emails';
import { idParams, noInput } from '../shared/schemas';
import { adminProcedure, authedProcedure, type Context, router } from '../trpc';
import { changePassword, requestEmailChange } from './account';
import {
  changePasswordInput,
  emailChangeInput,
  listUsersInput,
  updateProfileInput,
  updateUserInput,
  userDetailSchema,
  userPageSchema,
  userWithProfileSchema,
} from './schemas';
import { getProfile, getUserDetail, listUsers, updateProfile, updateUserAccess } from './service';

const AUTHED_ERRORS = {
  400: 'Validation failed',
  401: 'Missing, expired or invalid token',
  429: 'Rate limited',
};
const ADMIN_ERRORS = { ...AUTHED_ERRORS, 403: 'Admins only' };
const PASSWORD_CHECKED_ERRORS = {
  ...AUTHED_ERRORS,
  400: 'Validation failed, or WRONG_PASSWORD (current_password)',
};

/** Guesses at the current password through a stolen session are counted like sign-ins. */
const spendPasswordChecks = (ctx: Context, userId: number) =>
  ctx.limiter.consume('auth', `password-check:user:${userId}`);

// `/users/profile` is declared before `/users/{id}`: the first matching path wins.

export const usersRouter = router({
  profile: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/users/profile',
        tags: ['users'],
        summary: 'Your user and profile',
        errorResponses: AUTHED_ERRORS,
      },
    })
    .input(noInput)
    .output(userWithProfileSchema)
    .query(({ ctx }) => getProfile(ctx.db, ctx.user.id)),

  updateProfile: authedProcedure
    .meta({
      openapi: {
        method: 'PUT',
        path: '/users/profile',
        tags: ['users'],
        summary: 'Update your names and profile',
        errorResponses: AUTHED_ERRORS,
      },
    })
    .input(updateProfileInput)
    .output(userWithProfileSchema)
    .mutation(({ ctx, input }) => updateProfile(ctx.db, ctx.user.id, input)),

  changePassword: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/users/profile/password',
        tags: ['users'],
        summary: 'Change your password (needs the current one)',
        description:
          'Ends your other sessions (their access and refresh tokens stop working); the one making this call stays signed in.',
        errorResponses: PASSWORD_CHECKED_ERRORS,
      },
    })
    .input(changePasswordInput)
    .output(z.null())
    .mutation(async ({ ctx, input }) => {
      await spendPasswordChecks(ctx, ctx.user.id);
      return changePassword(ctx.db, ctx.auth, ctx.user, input);
    }),

  requestEmailChange: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/users/profile/email',
        tags: ['users'],
        summary: 'Change your email: a confirmation link goes to the new address',
        description:
          'Needs the current password. The account keeps its old address until the link is followed (auth.confirmEmailChange, within 24 hours).',
        errorResponses: { ...PASSWORD_CHECKED_ERRORS, 409: 'EMAIL_TAKEN' },
      },
    })
    .input(emailChangeInput)
    .output(z.null())
    .mutation(async ({ ctx, input }) => {
      await spendPasswordChecks(ctx, ctx.user.id);
      await spendEmailBudget(ctx, input.new_email);
      return requestEmailChange(ctx.db, ctx.auth, ctx.emails, ctx.user, input);
    }),

  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/users',
        tags: ['users'],
        summary: 'List users (admin)',
        errorResponses: ADMIN_ERRORS,
      },
    })
    .input(listUsersInput)
    .output(userPageSchema)
    .query(({ ctx, input }) => listUsers(ctx.db, input)),

  byId: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/users/{id}',
        tags: ['users'],
        summary: 'A user with their profile, order count and live sessions (admin)',
        errorResponses: { ...ADMIN_ERRORS, 404: 'No such user' },
      },
    })
    .input(idParams)
    .output(userDetailSchema)
    .query(({ ctx, input }) => getUserDetail(ctx.db, input.id)),

  update: adminProcedure
    .meta({
      openapi: {
        method: 'PUT',
        path: '/users/{id}',
        tags: ['users'],
        summary:
          'Activate or deactivate a user (deactivating ends all their sessions), grant or revoke admin (admin)',
        errorResponses: {
          ...ADMIN_ERRORS,
          404: 'No such user',
          409: 'CANNOT_CHANGE_OWN_ACCESS (yourself), or LAST_ADMIN (no active admin would be left)',
        },
      },
    })
    .input(updateUserInput)
    .output(userDetailSchema)
    .mutation(({ ctx, input: { id, ...change } }) =>
      updateUserAccess(ctx.db, ctx.user.id, id, change),
    ),
});
