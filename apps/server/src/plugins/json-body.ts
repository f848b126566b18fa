import { Transform, type TransformCallback } from 'node:stream';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { BodyError, sendFrameworkError } from './envelope';

const isJson = (mediaType: string) =>
  mediaType === 'application/json' || mediaType.endsWith('+json');

/** The `charset` parameter of a Content-Type, lower-cased, or undefined. */
const charsetOf = (contentType: string) =>
  /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase();

/**
 * Passes the bytes through unchanged and fails on the first byte sequence
 * that is not UTF-8. Node would otherwise decode it to U+FFFD, and the
 * replacement character would be stored in place of what the client sent.
 */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  receivedEncodedLength = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.receivedEncodedLength += chunk.length;
    try {
      this.decoder.decode(chunk, { stream: true });
      callback(null, chunk);
    } catch {
      callback(invalidUtf8());
    }
  }

  override _flush(callback: TransformCallback) {
    try {
      this.decoder.decode();
      callback();
    } catch {
      callback(invalidUtf8());
    }
  }
}

const invalidUtf8 = () =>
  new BodyError(400, 'MALFORMED_JSON', 'The request body is not valid UTF-8');

/**
 * JSON bodies on both faces are UTF-8, as RFC 8259 requires: a body declared
 * in another charset is a 415 before it is read, and bytes that are not
 * UTF-8 are a 400 `MALFORMED_JSON`, never read as replacement characters.
 * A root hook, so it runs before whichever parser a face uses (tRPC reads
 * its JSON itself, trpc-to-openapi through Fastify's).
 */
async function jsonBody(app: FastifyInstance) {
  app.addHook('preParsing', async (request, reply, payload) => {
    const contentType = request.headers['content-type'] ?? '';
    if (!isJson(contentType.split(';')[0]!.trim().toLowerCase())) return payload;
    const charset = charsetOf(contentType);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      await sendFrameworkError(reply, 415, [
        'UNSUPPORTED_MEDIA_TYPE',
        'Send JSON as UTF-8 (charset=utf-8, or no charset)',
      ]);
      return payload;
    }
    const checked = new Utf8Check();
    // Not pipeline(): on bad bytes it would destroy the request, and with it
    // the socket the 400 must go out on. A failing request (an aborted
    // client) still fails the stream Fastify reads.
    payload.on('error', (error) => checked.destroy(error));
    // Only once Fastify reads (and listens for errors): bytes checked before
    // that could fail with nobody listening, on a face whose other hooks run later.
    checked.once('resume', () => payload.pipe(checked));
    return checked;
  });
}

export const jsonBodyPlugin = fp(jsonBody, { name: 'buybuy-json-body', fastify: '5.x' });
