import { json } from "~/modules/api/handler.server";
import { openApiDocument } from "~/modules/api/openapi.server";

/** GET /api/v1/openapi.json: public, like any API description; it holds no data. */
export const loader = () => json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
