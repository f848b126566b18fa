import { noInput } from '../shared/schemas';
import { adminProcedure, authedProcedure, router } from '../trpc';
import {
  listUsersInput,
  updateProfileInput,
  userPageSchema,
  userWithProfileSchema,
} from './schemas';
import { getProfile, listUsers, updateProfile } from './service';

const AUTHED_ERRORS = {
  400: 'Validation failed',
  401: 'Missing, expired or invalid token',
  429: 'Rate limited',
};

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

  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/users',
        tags: ['users'],
        summary: 'List users (admin)',
        errorResponses: { ...AUTHED_ERRORS, 403: 'Admins only' },
      },
    })
    .input(listUsersInput)
    .output(userPageSchema)
    .query(({ ctx, input }) => listUsers(ctx.db, input)),
});
