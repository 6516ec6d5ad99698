// Massive-upload helpers for end-to-end tests: ZIP files as a client builds them, the multipart request, and a wait
// for an upload to finish.
import { strToU8, zipSync } from "fflate";
import { baseUrl, callApi, type ApiResponse } from "./gpd-client";

export function aZip(files: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([n, c]) => [n, typeof c === "string" ? strToU8(c) : c])),
  );
}

export const uploadPath = (broker: string, org: string) => `/brokers/${broker}/organizations/${org}/debtpositions`;

export async function upload(
  method: "POST" | "PUT" | "DELETE",
  broker: string,
  org: string,
  key: string,
  zip: Uint8Array,
  options: { url?: string; query?: string } = {},
): Promise<{ status: number; location: string | null; retryAfter: string | null; body: unknown }> {
  const form = new FormData();
  form.append("file", new Blob([zip], { type: "application/zip" }), "positions.zip");
  const response = await fetch(`${options.url ?? baseUrl()}${uploadPath(broker, org)}/file${options.query ?? ""}`, {
    method,
    headers: { "Ocp-Apim-Subscription-Key": key },
    body: form,
  });
  const text = await response.text();
  return {
    status: response.status,
    location: response.headers.get("location"),
    retryAfter: response.headers.get("retry-after"),
    body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
  };
}

export interface UploadStatusBody {
  fileId: string;
  processedItem: number;
  submittedItem: number;
  startTime: string;
  operationStatus: string;
}

/** Polls the status URL until the upload is no longer IN_PROGRESS (bounded). */
export async function waitForUpload(
  location: string,
  key: string,
  options: { url?: string; timeoutMs?: number } = {},
): Promise<UploadStatusBody> {
  const until = Date.now() + (options.timeoutMs ?? 300_000);
  let last: ApiResponse | undefined;
  while (Date.now() < until) {
    last = await callApi("GET", location, { key, url: options.url });
    const status = last.body as UploadStatusBody;
    if (last.status === 200 && status.operationStatus !== "IN_PROGRESS") return status;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`upload still in progress: ${last?.text ?? "no answer"}`);
}
