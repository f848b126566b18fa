import { mkdir } from 'node:fs/promises';

import {
  type Access,
  type Api,
  AppError,
  authorize,
  httpStatusOf,
  invalidField,
  toAppError,
} from '@buybuy/api';
import type { ImageStorage } from '@buybuy/images';
import type { JobQueue } from '@buybuy/jobs';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyContextConfig, FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

import { storeImage } from '../uploads/images';
import { failure, frameworkErrorHandler, sendFrameworkError } from './envelope';
import { requestInfo } from './request';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call a plain /v1 route: checked like a procedure's (`authorize`). */
    access?: Access;
    /** The 403's message on an admin route. */
    forbiddenMessage?: string;
    /** The scope an API key needs for the route (@buybuy/api's api-keys/scopes.ts). */
    scope?: string;
  }
}

export interface UploadOptions {
  api: Api;
  storage: ImageStorage;
  maxBytes: number;
  /** Makes the variants after the answer; without it they are made before. */
  jobs?: JobQueue;
}

/** An AppError as the envelope, with the status its procedures would answer. */
function sendAppError(reply: FastifyReply, error: AppError) {
  if (error.retryAfter) reply.header('retry-after', String(error.retryAfter));
  return reply.code(httpStatusOf(error)).send(failure(error.message, error.code, error.errors));
}

/**
 * `POST /v1/uploads/images`: trpc-to-openapi carries JSON only, so image
 * uploads are a plain multipart route beside it. Registered inside the REST
 * plugin, so it answers in the envelope like every /v1 route. Every route
 * here must declare `config.access` (refused at start otherwise), and gets
 * the procedures' own checks before its handler runs: rate limit, caller,
 * staff, with the same 401/403/429 and the same AppError mapping.
 */
export async function uploadRoutes(
  app: FastifyInstance,
  { api, storage, maxBytes, jobs }: UploadOptions,
) {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 2 } });

  app.addHook('onRoute', (route) => {
    if (!route.config?.access)
      throw new Error(`${String(route.method)} ${route.url}: declare config.access`);
  });
  app.addHook('preHandler', async (request) => {
    const { access, forbiddenMessage, scope } = request.routeOptions.config;
    const context = api.createContext(requestInfo(request));
    await authorize(context, access!, forbiddenMessage, scope).catch((error: unknown) => {
      throw toAppError(error) ?? error;
    });
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (!(error instanceof AppError)) return frameworkErrorHandler(error, request, reply);
    if (httpStatusOf(error) >= 500) request.log.warn({ code: error.code }, error.message);
    return sendAppError(reply, error);
  });

  const admins: FastifyContextConfig = {
    access: 'admin',
    forbiddenMessage: 'Only administrators can upload images',
    scope: 'catalog:write',
  };
  app.post('/uploads/images', { config: admins }, async (request, reply) => {
    let data: Buffer;
    try {
      const file = await request.file();
      if (!file || file.fieldname !== 'file')
        throw invalidField('file', 'Send one image in the multipart field "file"');
      data = await file.toBuffer();
    } catch (error) {
      const status = unreadableBodyStatus(error);
      if (status === undefined) throw error;
      request.log.info({ err: error }, 'upload body refused');
      return sendFrameworkError(reply, status);
    }
    return reply.code(201).send(await storeImage(storage, data, jobs));
  });
}

/**
 * The status of an error met while reading the multipart body, when it is
 * the client's: too large (413), or not the multipart it declared — cut
 * before the closing boundary, malformed — which busboy reports as a plain
 * Error without a status (400). Undefined for ours (AppError, a 5xx).
 */
function unreadableBodyStatus(error: unknown): number | undefined {
  if (error instanceof AppError) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (status === 413) return 413;
  return status === undefined || (typeof status === 'number' && status < 500) ? 400 : undefined;
}

/** Serves the local store at /uploads: content-addressed files, so cached for a year. */
async function uploadFiles(app: FastifyInstance, { storage }: { storage: ImageStorage }) {
  if (!storage.localDir) return;
  // A fresh checkout has no uploads directory yet: made here, before
  // @fastify/static looks for it (it warns at start about a missing root).
  await mkdir(storage.localDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: storage.localDir,
    prefix: '/uploads/',
    index: false,
    list: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '365d',
    // Storefronts on other origins show these images.
    setHeaders: (reply) => void reply.header('cross-origin-resource-policy', 'cross-origin'),
  });
}

export const uploadFilesPlugin = fp(uploadFiles, {
  name: 'buybuy-upload-files',
  fastify: '5.x',
  encapsulate: true,
});
