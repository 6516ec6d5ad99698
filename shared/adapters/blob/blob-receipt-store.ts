// Accepted receipt XML in Blob storage (container `receipts`; docs/adr/0008): one blob per (organization, IUV), named
// `{organizationFiscalCode}/{IUV}.xml` (the IUV URI-encoded, so no IUV can leave its organization's folder), written
// only if absent (If-None-Match: *) so the first receipt filed for an IUV is never overwritten. The receiptId goes in
// the metadata (URI-encoded: metadata values must be ASCII) so a re-run can tell its own earlier write from another
// receipt's.
import type { ContainerClient } from "@azure/storage-blob";
import type { ReceiptStore, ReceiptWrite } from "../../domain/receipts/ports";
import { blobStatus } from "./blob-errors";

const receiptIdKey = "receiptid";

export class BlobReceiptStore implements ReceiptStore {
  readonly #container: ContainerClient;

  constructor(container: ContainerClient) {
    this.#container = container;
  }

  nameOf(organizationFiscalCode: string, iuv: string): string {
    return `${organizationFiscalCode}/${encodeURIComponent(iuv)}.xml`;
  }

  async put(organizationFiscalCode: string, iuv: string, receiptId: string, xml: Buffer): Promise<ReceiptWrite> {
    const blob = this.#container.getBlockBlobClient(this.nameOf(organizationFiscalCode, iuv));
    const tag = encodeURIComponent(receiptId);
    try {
      // A receipt is at most 1 MiB, far below the single-shot upload size: one Put Blob, atomic.
      await blob.uploadData(xml, {
        conditions: { ifNoneMatch: "*" },
        metadata: { [receiptIdKey]: tag },
        blobHTTPHeaders: { blobContentType: "application/xml" },
      });
      return { outcome: "written" };
    } catch (e) {
      const status = blobStatus(e);
      // 409 BlobAlreadyExists (412 on some service versions): something is already filed under this name.
      if (status !== 409 && status !== 412) throw new Error(`Failed to store receipt ${blob.name}`, { cause: e });
    }
    try {
      const properties = await blob.getProperties();
      const stored = properties.metadata?.[receiptIdKey];
      return stored === tag
        ? { outcome: "already-there" }
        : { outcome: "conflict", storedReceiptId: stored === undefined ? undefined : decodeURIComponent(stored) };
    } catch (e) {
      throw new Error(`Failed to read the properties of receipt ${blob.name}`, { cause: e });
    }
  }

  async get(organizationFiscalCode: string, iuv: string): Promise<Buffer | undefined> {
    const blob = this.#container.getBlobClient(this.nameOf(organizationFiscalCode, iuv));
    try {
      // download() is one GET; downloadToBuffer() would ask for the properties first (two round trips).
      const response = await blob.download();
      return await readAll(response.readableStreamBody);
    } catch (e) {
      if (blobStatus(e) === 404) return undefined;
      throw new Error(`Failed to read receipt ${blob.name}`, { cause: e });
    }
  }
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (stream === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
