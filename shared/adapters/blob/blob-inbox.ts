// An inbox container and its rejected twin in Blob storage. Rejected files keep their original name; the reason
// goes in metadata (ASCII only, as metadata values must be) and in a blob index tag-free form so operators can read
// it with any tool.
import type { ContainerClient } from "@azure/storage-blob";
import type { Inbox, InboxFile } from "../../application/inbox";
import { blobStatus } from "./blob-errors";

const metadataValue = (text: string) => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 1024);

export class BlobInbox implements Inbox {
  readonly #inbox: ContainerClient;
  readonly #rejected: ContainerClient;
  readonly #clock: () => Date;

  constructor(inbox: ContainerClient, rejected: ContainerClient, clock: () => Date = () => new Date()) {
    this.#inbox = inbox;
    this.#rejected = rejected;
    this.#clock = clock;
  }

  async *list(): AsyncIterable<InboxFile> {
    for await (const blob of this.#inbox.listBlobsFlat()) {
      yield { name: blob.name, size: blob.properties.contentLength ?? 0 };
    }
  }

  async read(name: string): Promise<Buffer | undefined> {
    try {
      return await this.#inbox.getBlobClient(name).downloadToBuffer();
    } catch (e) {
      if (blobStatus(e) === 404) return undefined;
      throw new Error(`Failed to read inbox file ${name}`, { cause: e });
    }
  }

  async reject(name: string, reason: string, bytes: Buffer): Promise<void> {
    const source = this.#inbox.getBlobClient(name);
    const target = this.#rejected.getBlockBlobClient(name);
    const metadata = { reason: metadataValue(reason), rejectedat: this.#clock().toISOString() };
    // The rejected copy is written in full before the inbox file goes, so a crash in between only repeats the copy.
    if (bytes.length > 0) {
      await target.uploadData(bytes, { metadata });
    } else {
      // Too large to read into memory: a server-side copy keeps the original bytes.
      const poller = await target.beginCopyFromURL(source.url);
      await poller.pollUntilDone();
      await target.setMetadata(metadata);
    }
    await this.remove(name);
  }

  /** Drops a file into the inbox (the paForNode service parks each receipt here until it is applied). */
  async put(name: string, bytes: Buffer): Promise<void> {
    try {
      await this.#inbox.getBlockBlobClient(name).uploadData(bytes, {
        blobHTTPHeaders: { blobContentType: "application/xml" },
      });
    } catch (e) {
      throw new Error(`Failed to write inbox file ${name}`, { cause: e });
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.#inbox.getBlobClient(name).delete();
    } catch (e) {
      if (blobStatus(e) !== 404) throw new Error(`Failed to remove inbox file ${name}`, { cause: e });
    }
  }
}
