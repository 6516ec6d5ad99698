// Upload chunks and reports in Blob storage (container `uploads`): `{org}/{fileId}/chunk-{n}.json` holds the items of
// one chunk as submitted, `{org}/{fileId}/report.json` the final report, written once (If-None-Match: *).
import type { ContainerClient } from "@azure/storage-blob";
import type { UploadStore } from "../../domain/uploads/ports";
import type { UploadReport } from "../../domain/uploads/upload";
import { blobStatus } from "./blob-errors";

const chunkName = (org: string, fileId: string, chunk: number) => `${org}/${fileId}/chunk-${chunk}.json`;
const reportName = (org: string, fileId: string) => `${org}/${fileId}/report.json`;

export class BlobUploadStore implements UploadStore {
  readonly #container: ContainerClient;

  constructor(container: ContainerClient) {
    this.#container = container;
  }

  async putChunk(org: string, fileId: string, chunk: number, items: readonly unknown[]): Promise<void> {
    const body = Buffer.from(JSON.stringify(items), "utf8");
    try {
      await this.#container
        .getBlockBlobClient(chunkName(org, fileId, chunk))
        .uploadData(body, { blobHTTPHeaders: { blobContentType: "application/json" } });
    } catch (e) {
      throw new Error(`Failed to store upload chunk ${chunkName(org, fileId, chunk)}`, { cause: e });
    }
  }

  async getChunk(org: string, fileId: string, chunk: number): Promise<unknown[] | undefined> {
    const bytes = await this.#download(chunkName(org, fileId, chunk));
    if (bytes === undefined) return undefined;
    const parsed = JSON.parse(bytes.toString("utf8")) as unknown;
    return Array.isArray(parsed) ? (parsed as unknown[]) : undefined;
  }

  async putReport(org: string, fileId: string, report: UploadReport): Promise<void> {
    const body = Buffer.from(JSON.stringify(report), "utf8");
    try {
      await this.#container.getBlockBlobClient(reportName(org, fileId)).uploadData(body, {
        conditions: { ifNoneMatch: "*" },
        blobHTTPHeaders: { blobContentType: "application/json" },
      });
    } catch (e) {
      const status = blobStatus(e);
      if (status !== 409 && status !== 412) throw new Error(`Failed to store upload report ${fileId}`, { cause: e });
    }
  }

  async getReport(org: string, fileId: string): Promise<UploadReport | undefined> {
    const bytes = await this.#download(reportName(org, fileId));
    return bytes === undefined ? undefined : (JSON.parse(bytes.toString("utf8")) as UploadReport);
  }

  async #download(name: string): Promise<Buffer | undefined> {
    try {
      return await this.#container.getBlobClient(name).downloadToBuffer();
    } catch (e) {
      if (blobStatus(e) === 404) return undefined;
      throw new Error(`Failed to read ${name}`, { cause: e });
    }
  }
}
