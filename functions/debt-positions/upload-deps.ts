// What the massive-upload handlers receive from the composition root, and how they read the uploaded ZIP.
import type { HttpRequest } from "@azure/functions";
import type { UploadService } from "../../shared/application/upload-service";
import { DomainError } from "../../shared/domain/errors";
import type { HttpDeps } from "../../shared/http/endpoint";

export interface UploadHandlerDeps {
  http: HttpDeps;
  uploads: UploadService;
  /** Largest ZIP accepted (UPLOAD_MAX_ZIP_BYTES). */
  maxZipBytes: number;
}

const base = "brokers/{brokercode}/organizations/{organizationfiscalcode}/debtpositions";

export const uploadRoute = {
  file: `${base}/file`,
  status: `${base}/file/{fileid}/status`,
  report: `${base}/file/{fileid}/report`,
  files: `${base}/files`,
} as const;

export const uploadEndpointOptions = {
  product: "debt-positions",
  organizationParam: "organizationfiscalcode",
} as const;

export const statusLocation = (broker: string, org: string, fileId: string): string =>
  `/brokers/${broker}/organizations/${org}/debtpositions/file/${fileId}/status`;

const tooLarge = (max: number) =>
  new DomainError("PAYLOAD_TOO_LARGE", `The uploaded file exceeds the limit of ${max} bytes.`);

/** The `file` part of a multipart/form-data body, refused over the size limit before it is read when declared. */
export async function readUploadedFile(request: HttpRequest, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw new DomainError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Content-Type must be multipart/form-data, got ${contentType || "none"}`,
    );
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch (e) {
    throw new DomainError("BAD_REQUEST", `The multipart body cannot be read: ${(e as Error).message}`);
  }
  const file = form.get("file");
  if (file === null || typeof file === "string") {
    throw new DomainError("BAD_REQUEST", 'The multipart body must have a part named "file" holding the ZIP');
  }
  if (file.size > maxBytes) throw tooLarge(maxBytes);
  return new Uint8Array(await file.arrayBuffer());
}
