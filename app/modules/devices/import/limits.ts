import { UPLOAD_LIMITS } from "~/utils/upload-limits";

/** Largest upload in MB, for the server's per-route body limit; the limits themselves live in ~/utils/upload-limits. */
export const MAX_UPLOAD_MB = UPLOAD_LIMITS.fileBytes / (1024 * 1024);
