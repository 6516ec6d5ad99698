// Upload records live in the `debtpositions` container, in the organization's partition beside its positions
// (kinds "upload" and "upload-chunk", which no position query reads): no container of their own to provision, and
// every read of an upload stays inside one partition.
//  - "upload:<fileId>": the accepted file (operation, counts, start time);
//  - "upload-chunk:<fileId>:<n>": one processed chunk with its items' outcomes, written once (create-only), which is
//    what makes a redelivered chunk message a no-op;
//  - "upload-start:<fileId>:<n>": what a chunk saw when it first ran (for deletes, which IUPDs existed).
import type { Container, ItemDefinition } from "@azure/cosmos";
import { z } from "zod";
import type { UploadFilePage, UploadRepository } from "../../domain/uploads/ports";
import { uploadOperations, type ChunkOutcome, type UploadFile } from "../../domain/uploads/upload";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";

const fileId = (id: string) => `upload:${id}`;
const chunkId = (id: string, chunk: number) => `upload-chunk:${id}:${chunk}`;
const startId = (id: string, chunk: number) => `upload-start:${id}:${chunk}`;

const fileSchema = z.object({
  organizationFiscalCode: z.string(),
  brokerCode: z.string(),
  fileId: z.string(),
  operation: z.enum(uploadOperations),
  toPublish: z.boolean(),
  segregationCodes: z.array(z.string()).optional(),
  submittedItem: z.number().int(),
  chunkCount: z.number().int(),
  startTime: z.string(),
});

const startSchema = z.object({ existing: z.array(z.string()).default([]), swept: z.boolean().optional() });

const outcomeSchema = z.object({ requestId: z.string(), statusCode: z.number().int(), statusMessage: z.string() });
const chunkSchema = z.object({
  chunk: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  outcomes: z.array(outcomeSchema).optional(),
});

export class CosmosUploadRepository implements UploadRepository {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async createFile(file: UploadFile): Promise<void> {
    try {
      await this.#container.items.create({ id: fileId(file.fileId), kind: "upload", ...file });
    } catch (e) {
      throw cosmosFailure(e, "record", "upload");
    }
  }

  async findFile(org: string, id: string): Promise<UploadFile | undefined> {
    try {
      const { resource } = await this.#container.item(fileId(id), org).read<ItemDefinition>();
      if (resource === undefined) return undefined;
      return fileSchema.parse(resource);
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "upload");
    }
  }

  async listFiles(
    org: string,
    window: { from: string; to: string },
    size: number,
    continuation: string | undefined,
  ): Promise<UploadFilePage> {
    try {
      const response = await this.#container.items
        .query<unknown>(
          {
            query:
              "SELECT * FROM c WHERE c.kind = 'upload' AND c.startTime >= @from AND c.startTime < @to " +
              "ORDER BY c.startTime DESC",
            parameters: [
              { name: "@from", value: window.from },
              { name: "@to", value: window.to },
            ],
          },
          { partitionKey: org, maxItemCount: size, continuationToken: continuation },
        )
        .fetchNext();
      return {
        files: response.resources.flatMap((r) => {
          const parsed = fileSchema.safeParse(r);
          return parsed.success ? [parsed.data] : [];
        }),
        continuation: response.continuationToken,
      };
    } catch (e) {
      throw cosmosFailure(e, "list", "uploads");
    }
  }

  async startChunk(
    org: string,
    id: string,
    chunk: number,
    existing: readonly string[],
    by: "worker" | "sweeper" = "worker",
  ): Promise<{ firstRun: boolean; existing: string[]; swept: boolean }> {
    const swept = by === "sweeper";
    try {
      await this.#container.items.create({
        id: startId(id, chunk),
        kind: "upload-start",
        organizationFiscalCode: org,
        fileId: id,
        chunk,
        existing: [...existing],
        ...(swept ? { swept: true } : {}),
      });
      return { firstRun: true, existing: [...existing], swept };
    } catch (e) {
      if (cosmosStatus(e) !== 409) throw cosmosFailure(e, "record", "upload chunk start");
    }
    try {
      const { resource } = await this.#container.item(startId(id, chunk), org).read<ItemDefinition>();
      const recorded = startSchema.parse(resource ?? {});
      return { firstRun: false, existing: recorded.existing, swept: recorded.swept === true };
    } catch (e) {
      throw cosmosFailure(e, "read", "upload chunk start");
    }
  }

  async unfinishedFiles(startedBefore: string, limit: number): Promise<UploadFile[]> {
    try {
      // Across partitions on purpose: the sweep looks at every organization's uploads (a rare job), and finished ones
      // drop out of it.
      const { resources } = await this.#container.items
        .query<unknown>({
          query: `SELECT TOP ${Math.max(1, Math.floor(limit))} * FROM c WHERE c.kind = 'upload' AND NOT IS_DEFINED(c.finished) AND c.startTime < @before`,
          parameters: [{ name: "@before", value: startedBefore }],
        })
        .fetchAll();
      return resources.flatMap((r) => {
        const parsed = fileSchema.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      });
    } catch (e) {
      throw cosmosFailure(e, "query", "unfinished uploads");
    }
  }

  async markFinished(org: string, id: string): Promise<void> {
    // Read and replace rather than patch: the upload record is written once and otherwise only read, so nothing
    // races this (a second sweep or worker sets the same value).
    try {
      const { resource } = await this.#container.item(fileId(id), org).read<ItemDefinition>();
      if (resource === undefined || resource.finished === true) return;
      await this.#container.item(fileId(id), org).replace({ ...resource, finished: true });
    } catch (e) {
      if (cosmosStatus(e) === 404) return;
      throw cosmosFailure(e, "record", "upload finished");
    }
  }

  async isChunkRecorded(org: string, id: string, chunk: number): Promise<boolean> {
    try {
      const { resource } = await this.#container.item(chunkId(id, chunk), org).read<ItemDefinition>();
      return resource !== undefined;
    } catch (e) {
      if (cosmosStatus(e) === 404) return false;
      throw cosmosFailure(e, "read", "upload chunk");
    }
  }

  async recordChunk(org: string, id: string, outcome: Required<ChunkOutcome>): Promise<boolean> {
    try {
      await this.#container.items.create({
        id: chunkId(id, outcome.chunk),
        kind: "upload-chunk",
        organizationFiscalCode: org,
        fileId: id,
        ...outcome,
      });
      return true;
    } catch (e) {
      if (cosmosStatus(e) === 409) return false;
      throw cosmosFailure(e, "record", "upload chunk");
    }
  }

  async chunks(org: string, id: string, withOutcomes: boolean): Promise<ChunkOutcome[]> {
    const fields = withOutcomes ? "c.chunk, c.processed, c.succeeded, c.outcomes" : "c.chunk, c.processed, c.succeeded";
    try {
      const { resources } = await this.#container.items
        .query<unknown>(
          {
            query: `SELECT ${fields} FROM c WHERE c.kind = 'upload-chunk' AND c.fileId = @id`,
            parameters: [{ name: "@id", value: id }],
          },
          { partitionKey: org },
        )
        .fetchAll();
      return resources.map((r) => chunkSchema.parse(r));
    } catch (e) {
      throw cosmosFailure(e, "read", "upload chunks");
    }
  }
}
