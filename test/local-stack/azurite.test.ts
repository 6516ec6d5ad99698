import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RestError } from "@azure/storage-blob";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite } from "../../local/azurite";
import { freePort } from "../../local/processes";
import { blobService } from "../support/stack";

describe("Azurite", () => {
  it("refuses a second upload with ifNoneMatch '*' (409) and a stale ifMatch (412)", async () => {
    const container = blobService().getContainerClient(`probe-${Date.now()}`);
    await container.create();
    const blob = container.getBlockBlobClient("once.xml");
    const first = await blob.upload("<a/>", 4, { conditions: { ifNoneMatch: "*" } });
    await expect(blob.upload("<b/>", 4, { conditions: { ifNoneMatch: "*" } })).rejects.toMatchObject({
      statusCode: 409,
    });
    await blob.upload("<c/>", 4);
    const stale = blob.upload("<d/>", 4, { conditions: { ifMatch: first.etag! } });
    await expect(stale).rejects.toBeInstanceOf(RestError);
    await expect(stale).rejects.toMatchObject({ statusCode: 412 });
    await container.delete();
  });

  it("keeps blobs across a restart when it runs on disk", async () => {
    const location = mkdtempSync(path.join(tmpdir(), "gpd-azurite-"));
    const ports = { blobPort: await freePort(), queuePort: await freePort() };
    try {
      const first = await startAzurite({ ...ports, location });
      try {
        const container = BlobServiceClient.fromConnectionString(first.connectionString).getContainerClient("kept");
        await container.create();
        await container.getBlockBlobClient("a.txt").upload("kept", 4);
      } finally {
        await first.close();
      }
      const second = await startAzurite({ ...ports, location });
      try {
        const blob = BlobServiceClient.fromConnectionString(second.connectionString)
          .getContainerClient("kept")
          .getBlockBlobClient("a.txt");
        await expect(blob.downloadToBuffer()).resolves.toEqual(Buffer.from("kept"));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(location, { recursive: true, force: true });
    }
    // Two Azurite start-ups: each takes seconds on a loaded machine.
  }, 120_000);
});
