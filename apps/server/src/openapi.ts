import { createOpenApiDocument, withUploadOperation } from '@buybuy/api/openapi';
import type { OpenAPIObject } from 'trpc-to-openapi';

/** Version of the REST contract, shown in the OpenAPI document. */
export const API_VERSION = '1.0.0';

/**
 * The document /openapi.json serves: the router's enveloped operations plus
 * the routes the server adds beside them (image uploads). The SDK's REST
 * types are generated from this same function.
 */
export function servedOpenApiDocument(publicUrl: string): OpenAPIObject {
  return withUploadOperation(
    createOpenApiDocument({ version: API_VERSION, baseUrl: `${publicUrl}/v1` }),
  );
}
