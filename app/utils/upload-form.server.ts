import { AppError } from "./errors";
import { LIMIT_MESSAGES, UPLOAD_LIMITS } from "./upload-limits";

/**
 * The file from an upload form (`<input type="file" name="file">`), read with a byte limit of
 * its own: the body is counted as it arrives and reading stops at the limit, whatever the server
 * in front allowed. The form is parsed by the platform's FormData reader, which copes with file
 * names holding `=`, `;`, quotes or line breaks (Remix's multipart parser refuses them).
 * No file, or an unreadable form, is a 400 and a file over the limit a 413: AppErrors with the
 * message beside the `file` field, which the route's formAction answers on the form.
 */

export interface UploadedFile {
  name: string;
  content: Uint8Array;
}

/** Room for the multipart boundaries and headers around the file. */
const FORM_OVERHEAD = 64 * 1024;

export async function readUploadedFile(
  request: Request,
  maxBytes: number = UPLOAD_LIMITS.fileBytes,
): Promise<{ file: UploadedFile; fields: Record<string, string> }> {
  const type = request.headers.get("Content-Type") ?? "";
  const refuse = (status: 400 | 413, message: string) => new AppError(status, message, { fieldErrors: { file: message } });
  const none = () => refuse(400, "Select a CSV or Excel (.xlsx) file");
  const tooLarge = () => refuse(413, LIMIT_MESSAGES.fileBytes({ ...UPLOAD_LIMITS, fileBytes: maxBytes }));
  if (!type.startsWith("multipart/form-data") || !request.body) throw none();
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes + FORM_OVERHEAD) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  let form: FormData;
  try {
    form = await new Response(new Blob(chunks as BlobPart[]), { headers: { "Content-Type": type } }).formData();
  } catch {
    throw refuse(400, "The upload could not be read. Choose the file and upload it again.");
  }
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) throw none();
  if (file.size > maxBytes) throw tooLarge();
  // The form's other (text) fields, e.g. the practice chosen beside the file.
  const fields: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && k !== "file") fields[k] = v;
  return { file: { name: safeFileName(file.name), content: new Uint8Array(await file.arrayBuffer()) }, fields };
}

/** Characters a file name is shown and stored without: control characters (NUL, line breaks) and bidi overrides. */
// eslint-disable-next-line no-control-regex -- deliberate: this finds control characters
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]+/g;
export const MAX_FILE_NAME = 200;

/**
 * A file name fit to store and show: the last path segment (some browsers send a full path),
 * control characters replaced by spaces, at most 200 characters keeping the extension. Quotes,
 * `=` and `;` are kept: pages escape what they show, and the name is stored as a bound parameter.
 */
export function safeFileName(raw: string | null | undefined): string {
  let name = (raw ?? "").split(/[/\\]/).pop() ?? "";
  name = name.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  if (name.length > MAX_FILE_NAME) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
    name = `${name.slice(0, MAX_FILE_NAME - ext.length - 1)}…${ext}`;
  }
  return name || "upload";
}
