// Reporting flows filed in the `flows` container (docs/adr/0009-reporting-flows.md):
//   {organization}/{yyyy-MM-dd}/{flowId}.xml          the FlussoRiversamento as received, metadata flowid + flowdatetime
//   {organization}/{yyyy-MM-dd}/{flowId}.result.json  what the last processing did with each entry
// The organization is the flow's istitutoRicevente and the date the UTC date of dataOraFlusso, so the API's list is a
// prefix listing and its get a point read: no index to keep in step with the blobs.
import type { ContainerClient } from "@azure/storage-blob";
import { z } from "zod";
import type { EntryResult, FlowKey, FlowResult, FlowSummary } from "../../domain/reporting/flow-report";
import { reportingOutcomes } from "../../domain/reporting/flow";
import type { FlowStore, StoreOutcome } from "../../domain/reporting/ports";
import { blobStatus } from "./blob-errors";

const xmlSuffix = ".xml";
const resultSuffix = ".result.json";

const flowName = (k: FlowKey) => `${k.organization}/${k.flowDate}/${k.flowId}${xmlSuffix}`;
const resultName = (k: FlowKey) => `${k.organization}/${k.flowDate}/${k.flowId}${resultSuffix}`;

// Metadata keys are lower case: Azure keeps them as sent, Azurite and some SDK paths lower-case them.
const flowMetadataSchema = z.object({ flowid: z.string().min(1), flowdatetime: z.iso.datetime({ offset: true }) });

const entryResultSchema = z.object({
  entry: z.number().int().positive(),
  iuv: z.string(),
  transferIndex: z.number().int(),
  outcome: z.enum(reportingOutcomes),
  status: z.enum([
    "reported",
    "revoked",
    "unknown-iuv",
    "transfer-not-found",
    "already-reported",
    "not-accountable",
    "duplicate-entry",
  ]),
  iupd: z.string().optional(),
  detail: z.string().optional(),
}) satisfies z.ZodType<EntryResult>;

const flowResultSchema = z.object({
  organization: z.string(),
  flowId: z.string(),
  flowDate: z.string(),
  flowDateTime: z.string(),
  processedAt: z.string(),
  entries: z.number().int(),
  reported: z.number().int(),
  revoked: z.number().int(),
  notApplied: z.number().int(),
  unapplied: z.array(entryResultSchema),
}) satisfies z.ZodType<FlowResult>;

export class BlobFlowStore implements FlowStore {
  readonly #container: ContainerClient;

  constructor(container: ContainerClient) {
    this.#container = container;
  }

  async store(key: FlowKey, flowDateTime: string, xml: Buffer): Promise<StoreOutcome> {
    const blob = this.#container.getBlockBlobClient(flowName(key));
    try {
      // One Put Blob with If-None-Match: * — atomic and create-only, so a crash never leaves half a flow and two
      // runs on the same file cannot both think they filed it first.
      await blob.upload(xml, xml.length, {
        conditions: { ifNoneMatch: "*" },
        metadata: { flowid: key.flowId, flowdatetime: flowDateTime },
        blobHTTPHeaders: { blobContentType: "application/xml" },
      });
      return "stored";
    } catch (e) {
      const status = blobStatus(e);
      if (status !== 409 && status !== 412) throw new Error(`Failed to store flow ${flowName(key)}`, { cause: e });
    }
    const existing = await this.read(key);
    if (existing === undefined) throw new Error(`Failed to store flow ${flowName(key)}: it was removed meanwhile`);
    return existing.equals(xml) ? "already-stored" : "conflict";
  }

  async saveResult(key: FlowKey, result: FlowResult): Promise<void> {
    const body = Buffer.from(JSON.stringify(result), "utf8");
    try {
      await this.#container
        .getBlockBlobClient(resultName(key))
        .upload(body, body.length, { blobHTTPHeaders: { blobContentType: "application/json" } });
    } catch (e) {
      throw new Error(`Failed to store the result of flow ${flowName(key)}`, { cause: e });
    }
  }

  async readResult(key: FlowKey): Promise<FlowResult | undefined> {
    const bytes = await this.#download(resultName(key));
    return bytes === undefined ? undefined : flowResultSchema.parse(JSON.parse(bytes.toString("utf8")));
  }

  async read(key: FlowKey): Promise<Buffer | undefined> {
    return await this.#download(flowName(key));
  }

  async list(organization: string, flowDate?: string): Promise<FlowSummary[]> {
    const prefix = flowDate === undefined ? `${organization}/` : `${organization}/${flowDate}/`;
    const flows: FlowSummary[] = [];
    try {
      for await (const blob of this.#container.listBlobsFlat({ prefix, includeMetadata: true })) {
        const summary = toSummary(organization, blob.name, blob.metadata);
        if (summary) flows.push(summary);
      }
    } catch (e) {
      throw new Error(`Failed to list the flows of ${organization}`, { cause: e });
    }
    return flows;
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

/** A listed blob as a flow; results and anything not filed by `store` are left out. */
function toSummary(
  organization: string,
  name: string,
  metadata: Record<string, string> | undefined,
): FlowSummary | undefined {
  const parts = name.split("/");
  const [org, flowDate, file] = parts;
  if (parts.length !== 3 || org !== organization || flowDate === undefined || file === undefined) return undefined;
  if (!file.endsWith(xmlSuffix)) return undefined;
  const meta = flowMetadataSchema.safeParse(metadata ?? {});
  if (!meta.success) return undefined;
  return { organization, flowDate, flowId: meta.data.flowid, flowDateTime: meta.data.flowdatetime };
}
