import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { AppError, type Api } from '@buybuy/api';
import { errorResponse, successEnvelope } from '@buybuy/api/openapi';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { ImageRejected, storeImage } from '../uploads/images';
import type { ImageStorage } from '../uploads/storage';
import { failure, sendFrameworkError } from './envelope';
import { requestInfo } from './request';

export interface UploadOptions {
  api: Api;
  storage: ImageStorage;
  maxBytes: number;
}

function sendAppError(reply: FastifyReply, error: AppError) {
  const status = getHTTPStatusCodeFromError(new TRPCError({ code: error.status }));
  if (error.retryAfter) reply.header('retry-after', String(error.retryAfter));
  return reply.code(status).send(failure(error.message, error.code, error.errors));
}

/**
 * `POST /v1/uploads/images`: trpc-to-openapi carries JSON only, so image
 * uploads are a plain multipart route beside it. Registered inside the REST
 * plugin, so it answers in the envelope like every /v1 route. Admins only,
 * counted against the caller's rate-limit budget like any procedure call.
 */
export async function uploadRoutes(
  app: FastifyInstance,
  { api, storage, maxBytes }: UploadOptions,
) {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 2 } });

  app.post('/uploads/images', async (request, reply) => {
    try {
      const context = api.createContext(requestInfo(request));
      const viewer = await context.viewer();
      if (!viewer) throw new AppError('UNAUTHORIZED', 'UNAUTHORIZED', 'Sign in to do this');
      await context.limiter.consume('general', `user:${viewer.id}`);
      if (!viewer.is_staff)
        throw new AppError('FORBIDDEN', 'FORBIDDEN', 'Only administrators can upload images');
    } catch (error) {
      if (error instanceof AppError) return sendAppError(reply, error);
      throw error;
    }

    const file = await request.file().catch(() => undefined);
    if (!file || file.fieldname !== 'file') {
      const message = 'Send one image in the multipart field "file"';
      return reply
        .code(400)
        .send(failure(message, 'VALIDATION', [{ field: 'file', code: 'VALIDATION', message }]));
    }
    let data: Buffer;
    try {
      data = await file.toBuffer();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 413)
        return sendFrameworkError(reply, 413);
      throw error;
    }
    try {
      return reply.code(201).send(await storeImage(storage, data));
    } catch (error) {
      if (!(error instanceof ImageRejected)) throw error;
      const field = { field: 'file', code: error.code, message: error.message };
      return reply.code(error.status).send(failure(error.message, error.code, [field]));
    }
  });
}

/** Serves the local store at /uploads: content-addressed files, so cached for a year. */
export async function uploadFilesPlugin(
  app: FastifyInstance,
  { storage }: { storage: ImageStorage },
) {
  if (!storage.localDir) return;
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

/** The upload route, described by hand (the generator knows only the tRPC procedures). */
export function withUploadOperation(document: OpenAPIObject): OpenAPIObject {
  const string = { type: 'string' };
  return {
    ...document,
    paths: {
      ...document.paths,
      '/uploads/images': {
        post: {
          operationId: 'uploads-image',
          tags: ['uploads'],
          summary: 'Upload a product image (admin)',
          description:
            'Multipart upload of one JPEG, PNG, WebP or AVIF image in the field `file` (checked by content, not name). ' +
            'Answers the URLs of a display-size WebP (`image_url`), a 320px list thumbnail (`thumbnail_url`) and the original; ' +
            'attach them to a product with `PUT /products/{id}`.',
          security: [{ bearerAuth: [] }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: { file: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
          responses: {
            201: {
              description: 'Stored',
              content: {
                'application/json': {
                  schema: successEnvelope({
                    type: 'object',
                    required: [
                      'image_url',
                      'thumbnail_url',
                      'original_url',
                      'width',
                      'height',
                      'content_type',
                    ],
                    properties: {
                      image_url: string,
                      thumbnail_url: string,
                      original_url: string,
                      width: { type: 'integer' },
                      height: { type: 'integer' },
                      content_type: {
                        type: 'string',
                        enum: ['image/jpeg', 'image/png', 'image/webp', 'image/avif'],
                      },
                    },
                  }),
                },
              },
            },
            400: errorResponse(400, 'No file, or an image that cannot be read'),
            401: errorResponse(401, 'Missing, expired or invalid token'),
            403: errorResponse(403, 'Admins only'),
            413: errorResponse(413, 'The file is larger than UPLOAD_MAX_BYTES'),
            415: errorResponse(415, 'Not multipart, or not a JPEG, PNG, WebP or AVIF image'),
            429: errorResponse(429, 'Rate limited'),
            500: errorResponse(500, 'Internal server error'),
            503: errorResponse(503, 'The database is unavailable'),
          },
        },
      },
    },
  };
}
