// Built in @buybuy/api, so the SDK's REST types are generated without the server.
export { API_VERSION, servedOpenApiDocument } from '@buybuy/api/openapi';
