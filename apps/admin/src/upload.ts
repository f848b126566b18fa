import { api, API_URL, readTokens } from './api';
import { UploadError } from './errors';

export interface UploadedImage {
  image_url: string;
  thumbnail_url: string | null;
  width: number;
  height: number;
  content_type: string;
}

interface Envelope {
  success?: boolean;
  data?: UploadedImage | null;
  message?: string;
  errors?: { field: string | null; code: string; message: string }[];
}

/** Image URLs go into products as absolute http(s) URLs, whatever form the upload answered with. */
function absolute(url: string) {
  return new URL(url, API_URL || window.location.origin).href;
}

async function send(file: File): Promise<Response> {
  const body = new FormData();
  body.append('file', file);
  const token = readTokens()?.access_token;
  return fetch(`${API_URL}/v1/uploads/images`, {
    method: 'POST',
    body,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/**
 * Uploads one image (multipart, field `file`). The upload is plain REST, so
 * an expired access token is renewed by one typed call (which makes the SDK
 * refresh the pair) and the upload is tried once more.
 */
export async function uploadImage(file: File): Promise<UploadedImage> {
  let response = await send(file);
  if (response.status === 401) {
    const envelope = (await response
      .clone()
      .json()
      .catch(() => null)) as Envelope | null;
    if (envelope?.errors?.[0]?.code === 'TOKEN_EXPIRED') {
      await api.users.profile.query({});
      response = await send(file);
    }
  }
  const envelope = (await response.json().catch(() => null)) as Envelope | null;
  if (!response.ok || !envelope?.success || !envelope.data) {
    const fallback =
      response.status === 413
        ? 'The file is too large.'
        : response.status === 415
          ? 'This file type is not supported. Use a JPEG, PNG, WebP or AVIF image.'
          : `The upload failed (HTTP ${response.status}).`;
    throw new UploadError(
      envelope?.errors?.[0]?.message ?? envelope?.message ?? fallback,
      response.status,
      envelope?.errors ?? [],
    );
  }
  const image = envelope.data;
  return {
    ...image,
    image_url: absolute(image.image_url),
    thumbnail_url: image.thumbnail_url ? absolute(image.thumbnail_url) : null,
  };
}
