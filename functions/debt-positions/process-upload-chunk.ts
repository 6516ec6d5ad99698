// Queue trigger on `upload-chunks`: one message per chunk of an upload. Fails loudly (rethrows) on anything that is
// not an item's own fault, so the host retries the message and, after maxDequeueCount, moves it to the poison queue.
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
  (uploads: UploadService): StorageQueueHandler =>
  async (message: unknown, context: InvocationContext): Promise<void> => {
    const parsed = messageSchema.safeParse(message);
    if (!parsed.success) {
      // Not ours to retry: a message no producer of this app writes. It is logged and dropped.
      context.warn(`processUploadChunk: ignoring a malformed message: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    const started = Date.now();
    await uploads.processChunk(parsed.data, parseDebtPositionBody);
    context.log(
      `processUploadChunk: upload ${parsed.data.fileId} chunk ${parsed.data.chunk} applied in ${Date.now() - started} ms`,
    );
  };
