// Queue trigger on `upload-chunks`: one message per chunk of an upload. Fails loudly (rethrows) on anything that is
// not an item's own fault, so the host delivers the message again; on its last delivery (host.json
// extensions.queues.maxDequeueCount) the chunk's items are recorded as not applied instead, so the upload ends.
import type { InvocationContext, StorageQueueHandler } from "@azure/functions";
import { z } from "zod";
import type { UploadService } from "../../shared/application/upload-service";
import { parseDebtPositionBody } from "./schemas";

const messageSchema = z.object({
  organizationFiscalCode: z.string().regex(/^\d{11}$/),
  fileId: z.string().regex(/^[\w-]{1,64}$/),
  chunk: z.number().int().min(0),
});

export const makeProcessUploadChunk =
  (uploads: UploadService, maxDequeueCount: number): StorageQueueHandler =>
  async (message: unknown, context: InvocationContext): Promise<void> => {
    const parsed = messageSchema.safeParse(message);
    if (!parsed.success) {
      // Not ours to retry: a message no producer of this app writes. It is logged and dropped.
      context.warn(`processUploadChunk: ignoring a malformed message: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    const started = Date.now();
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    await uploads.processChunk(parsed.data, parseDebtPositionBody, dequeueCount >= maxDequeueCount);
    context.log(
      `processUploadChunk: upload ${parsed.data.fileId} chunk ${parsed.data.chunk} applied in ${Date.now() - started} ms`,
    );
  };
