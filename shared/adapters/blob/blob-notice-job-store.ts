// Notice batches in the `notices` container (docs/adr/0047-notice-batches.md):
//   {organization}/{jobId}/job.json        the job: selection, status, progress, archive
//   {organization}/{jobId}/avvisi.zip|pdf  the archive, uploaded as it is rendered (block by block)
// The organization prefix makes a job readable only through its own organization's path.
import { Readable } from "node:stream";
import {
  BlobSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type BlobServiceClient,
  type ContainerClient,
} from "@azure/storage-blob";
import { z } from "zod";
import {
  noticeArchiveFormats,
  noticeJobStatuses,
  type NoticeJob,
  type NoticeJobStore,
} from "../../domain/notices/notice-job";
import { blobStatus } from "./blob-errors";

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (stream === undefined) return Buffer.alloc(0);
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

const jobName = (org: string, jobId: string) => `${org}/${jobId}/job.json`;
const archiveName = (job: NoticeJob) => `${job.organizationFiscalCode}/${job.jobId}/avvisi.${job.format.toLowerCase()}`;

const selectionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("iupds"), iupds: z.array(z.string()) }),
  z.object({
    kind: z.literal("filter"),
    status: z.enum(["PUBLISHED", "VALID"]).optional(),
    dueDate: z.object({ from: z.string(), to: z.string() }).optional(),
  }),
]);

const jobSchema = z.object({
  jobId: z.string(),
  organizationFiscalCode: z.string(),
  format: z.enum(noticeArchiveFormats),
  selection: selectionSchema,
  segregationCodes: z.array(z.string()).optional(),
  status: z.enum(noticeJobStatuses),
  total: z.number().int().optional(),
  rendered: z.number().int(),
  skipped: z.number().int(),
  skippedPositions: z.array(z.object({ iupd: z.string(), reason: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().optional(),
  completedAt: z.string().optional(),
  error: z.string().optional(),
  archive: z.object({ name: z.string(), contentType: z.string(), size: z.number().int() }).optional(),
}) satisfies z.ZodType<NoticeJob>;

/** Upload block size and parallel blocks: the memory an upload holds is about their product. */
const blockSize = 4 * 1024 * 1024;
const parallelBlocks = 2;

export class BlobNoticeJobStore implements NoticeJobStore {
  readonly #container: ContainerClient;
  readonly #service: BlobServiceClient;

  constructor(service: BlobServiceClient, container: ContainerClient) {
    this.#service = service;
    this.#container = container;
  }

  async create(job: NoticeJob): Promise<void> {
    const body = JSON.stringify(job);
    try {
      await this.#container
        .getBlockBlobClient(jobName(job.organizationFiscalCode, job.jobId))
        .upload(body, Buffer.byteLength(body), {
          conditions: { ifNoneMatch: "*" },
          blobHTTPHeaders: { blobContentType: "application/json" },
        });
    } catch (e) {
      throw new Error(`Failed to create notice job ${job.jobId}`, { cause: e });
    }
  }

  async get(organizationFiscalCode: string, jobId: string): Promise<NoticeJob | undefined> {
    return (await this.read(organizationFiscalCode, jobId))?.job;
  }

  async read(organizationFiscalCode: string, jobId: string): Promise<{ job: NoticeJob; etag: string } | undefined> {
    let text: string;
    let etag: string;
    try {
      const response = await this.#container.getBlockBlobClient(jobName(organizationFiscalCode, jobId)).download();
      etag = response.etag ?? "";
      text = (await streamToBuffer(response.readableStreamBody)).toString("utf8");
    } catch (e) {
      if (blobStatus(e) === 404) return undefined;
      throw new Error(`Failed to read notice job ${jobId}`, { cause: e });
    }
    return { job: jobSchema.parse(JSON.parse(text)), etag };
  }

  async replace(job: NoticeJob, etag: string): Promise<boolean> {
    const body = JSON.stringify(job);
    try {
      await this.#container
        .getBlockBlobClient(jobName(job.organizationFiscalCode, job.jobId))
        .upload(body, Buffer.byteLength(body), {
          conditions: { ifMatch: etag },
          blobHTTPHeaders: { blobContentType: "application/json" },
        });
      return true;
    } catch (e) {
      if (blobStatus(e) === 412) return false;
      throw new Error(`Failed to save notice job ${job.jobId}`, { cause: e });
    }
  }

  async save(job: NoticeJob): Promise<void> {
    const body = JSON.stringify(job);
    try {
      await this.#container
        .getBlockBlobClient(jobName(job.organizationFiscalCode, job.jobId))
        .upload(body, Buffer.byteLength(body), {
          blobHTTPHeaders: { blobContentType: "application/json" },
        });
    } catch (e) {
      throw new Error(`Failed to save notice job ${job.jobId}`, { cause: e });
    }
  }

  async uploadArchive(
    job: NoticeJob,
    contentType: string,
    body: NodeJS.ReadableStream,
  ): Promise<{ name: string; size: number }> {
    const name = archiveName(job);
    const blob = this.#container.getBlockBlobClient(name);
    const stream = body instanceof Readable ? body : Readable.from(body);
    let size = 0;
    stream.on("data", (chunk: Buffer) => (size += chunk.length));
    try {
      // Blocks are staged as they fill and committed at the end: a failed run leaves no archive behind.
      await blob.uploadStream(stream, blockSize, parallelBlocks, {
        blobHTTPHeaders: {
          blobContentType: contentType,
          blobContentDisposition: `attachment; filename="avvisi-${job.organizationFiscalCode}-${job.jobId}.${job.format.toLowerCase()}"`,
        },
      });
    } catch (e) {
      throw new Error(`Failed to upload the archive of notice job ${job.jobId}`, { cause: e });
    }
    return { name, size };
  }

  async downloadUrl(name: string, expiresOn: Date): Promise<string> {
    const blob = this.#container.getBlobClient(name);
    const permissions = BlobSASPermissions.parse("r");
    // With an account key (Azurite locally) the blob client signs the URL itself; with the managed identity a user
    // delegation key signs it, so no key exists anywhere.
    if (blob.credential instanceof StorageSharedKeyCredential) return blob.generateSasUrl({ permissions, expiresOn });
    const startsOn = new Date(Date.now() - 5 * 60_000);
    try {
      const key = await this.#service.getUserDelegationKey(startsOn, expiresOn);
      const sas = generateBlobSASQueryParameters(
        { containerName: this.#container.containerName, blobName: name, permissions, startsOn, expiresOn },
        key,
        this.#service.accountName,
      );
      return `${blob.url}?${sas.toString()}`;
    } catch (e) {
      throw new Error(`Failed to sign a download link for ${name}`, { cause: e });
    }
  }
}
