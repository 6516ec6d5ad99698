// Reporting flows filed in the `flows` container (docs/adr/0009-reporting-flows.md):
//   {organization}/{yyyy-MM-dd}/{flowId}.xml          the FlussoRiversamento as received, metadata flowid + flowdatetime
//   {organization}/{yyyy-MM-dd}/{flowId}.result.json  what the last processing did with each entry
//   {organization}/{yyyy-MM-dd}/{flowId}.r{revision}.json  each revision of a flow read from FdR-3, as one JSON document
//                                                     (the FdR-3 flow with its payments, one payment per line)
// The organization is the flow's istitutoRicevente and the date the UTC date of dataOraFlusso, so the API's list is a
// prefix listing and its get a point read: no index to keep in step with the blobs.
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { ContainerClient } from "@azure/storage-blob";
import { z } from "zod";
import type { EntryResult, FlowKey, FlowResult, FlowSummary } from "../../domain/reporting/flow-report";
import { reportingOutcomes } from "../../domain/reporting/flow";
import type { Fdr3FlowStore, FlowStore, StoreOutcome } from "../../domain/reporting/ports";
import { fdr3AmountCents, payStatuses, type Fdr3Flow, type Fdr3Payment } from "../../domain/reporting/fdr3";
import { centsToEuros } from "../../domain/money";
import { SLICE_ITEMS, yieldToEventLoop } from "../../runtime/event-loop";
import { blobStatus } from "./blob-errors";

const xmlSuffix = ".xml";
const resultSuffix = ".result.json";

const flowName = (k: FlowKey) => `${k.organization}/${k.flowDate}/${k.flowId}${xmlSuffix}`;
const resultName = (k: FlowKey) => `${k.organization}/${k.flowDate}/${k.flowId}${resultSuffix}`;
const revisionName = (k: FlowKey, revision: number) => `${k.organization}/${k.flowDate}/${k.flowId}.r${revision}.json`;
const revisionFile = /^([a-zA-Z0-9_-]{1,35})\.r(\d{1,9})\.json$/;
const blockId = (n: number) => Buffer.from(`block-${String(n).padStart(9, "0")}`).toString("base64");

const storedPaymentSchema = z.object({
  index: z.number().int().positive(),
  iuv: z.string(),
  iur: z.string(),
  idTransfer: z.number().int().min(1).max(5),
  pay: z.number(),
  payStatus: z.enum(payStatuses),
  payDate: z.string(),
});

// Metadata keys are lower case: Azure keeps them as sent, Azurite and some SDK paths lower-case them.
const flowMetadataSchema = z.object({
  flowid: z.string().min(1),
  flowdatetime: z.iso.datetime({ offset: true }),
  revision: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
});

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
    "superseded",
  ]),
  iupd: z.string().optional(),
  detail: z.string().optional(),
}) satisfies z.ZodType<EntryResult>;

const flowResultSchema = z.object({
  source: z.enum(["XML", "FDR3"]).optional(),
  revision: z.number().int().optional(),
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

export class BlobFlowStore implements FlowStore, Fdr3FlowStore {
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
    const body = await resultJson(result);
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

  async readFiled(key: FlowKey): Promise<{ format: "xml" | "json"; bytes: Buffer } | undefined> {
    const xml = await this.read(key);
    if (xml !== undefined) return { format: "xml", bytes: xml };
    const revision = await this.#newestRevision(key);
    if (revision === undefined) return undefined;
    const bytes = await this.#download(revisionName(key, revision));
    return bytes === undefined ? undefined : { format: "json", bytes };
  }

  async storeRevision(
    key: FlowKey,
    flow: Fdr3Flow,
    pages: AsyncIterable<Fdr3Payment[]>,
    check: () => void,
  ): Promise<void> {
    const blob = this.#container.getBlockBlobClient(revisionName(key, flow.revision));
    const ids: string[] = [];
    const stage = async (text: string) => {
      const body = Buffer.from(text, "utf8");
      const id = blockId(ids.length);
      try {
        await blob.stageBlock(id, body, body.length);
      } catch (e) {
        throw new Error(`Failed to store revision ${flow.revision} of flow ${key.flowId}`, { cause: e });
      }
      ids.push(id);
    };
    // One payment per line, the separator leading the line: the blob is one JSON document (what GET of the flow
    // serves) that can also be read back line by line without holding it whole.
    const head = JSON.stringify(fdr3FlowDocument(flow));
    await stage(`${head.slice(0, -1)},"payments":[\n`);
    let first = true;
    for await (const page of pages) {
      if (page.length === 0) continue;
      const lines = page.map((p) => {
        const line = `${first ? "" : ","}${JSON.stringify(storedPayment(p))}\n`;
        first = false;
        return line;
      });
      await stage(lines.join(""));
    }
    await stage("]}\n");
    check();
    try {
      // Committing the block list is atomic: until here the revision does not exist for any reader.
      await blob.commitBlockList(ids, {
        metadata: {
          flowid: key.flowId,
          flowdatetime: flow.fdrDate,
          revision: String(flow.revision),
        },
        blobHTTPHeaders: { blobContentType: "application/json" },
      });
    } catch (e) {
      throw new Error(`Failed to store revision ${flow.revision} of flow ${key.flowId}`, { cause: e });
    }
  }

  async *readRevision(key: FlowKey, revision: number, pageSize: number): AsyncIterable<Fdr3Payment[]> {
    let stream: Readable | undefined;
    try {
      const response = await this.#container.getBlobClient(revisionName(key, revision)).download();
      stream = response.readableStreamBody as Readable | undefined;
    } catch (e) {
      throw new Error(`Failed to read revision ${revision} of flow ${key.flowId}`, { cause: e });
    }
    if (stream === undefined) return;
    let page: Fdr3Payment[] = [];
    let lineNo = 0;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNo += 1;
      if (lineNo === 1 || line === "]}" || line === "") continue;
      const parsed = storedPaymentSchema.parse(JSON.parse(line.startsWith(",") ? line.slice(1) : line));
      page.push({ ...parsed, payCents: fdr3AmountCents(parsed.pay, `payment ${parsed.index}`) });
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  async hasRevision(key: FlowKey, revision: number): Promise<boolean> {
    try {
      return await this.#container.getBlobClient(revisionName(key, revision)).exists();
    } catch (e) {
      throw new Error(`Failed to read revision ${revision} of flow ${key.flowId}`, { cause: e });
    }
  }

  async #newestRevision(key: FlowKey): Promise<number | undefined> {
    let newest: number | undefined;
    try {
      for await (const blob of this.#container.listBlobsFlat({
        prefix: `${key.organization}/${key.flowDate}/${key.flowId}.r`,
      })) {
        const m = revisionFile.exec(blob.name.split("/").at(-1) ?? "");
        if (m?.[1] === key.flowId) newest = Math.max(newest ?? 0, Number(m[2]));
      }
    } catch (e) {
      throw new Error(`Failed to list the revisions of flow ${key.flowId}`, { cause: e });
    }
    return newest;
  }

  async list(organization: string, flowDate?: string): Promise<FlowSummary[]> {
    const prefix = flowDate === undefined ? `${organization}/` : `${organization}/${flowDate}/`;
    const flows: (FlowSummary & { revision: number })[] = [];
    try {
      for await (const blob of this.#container.listBlobsFlat({ prefix, includeMetadata: true })) {
        const summary = toSummary(organization, blob.name, blob.metadata);
        if (summary) flows.push(summary);
      }
    } catch (e) {
      throw new Error(`Failed to list the flows of ${organization}`, { cause: e });
    }
    // Every revision of an FdR-3 flow is filed; the list shows the flow once, as its newest revision has it.
    const newest = new Map<string, FlowSummary & { revision: number }>();
    for (const f of flows) {
      const seen = newest.get(f.flowId);
      if (seen === undefined || f.revision > seen.revision) newest.set(f.flowId, f);
    }
    return [...newest.values()].map(({ revision: _revision, ...summary }) => summary);
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
): (FlowSummary & { revision: number }) | undefined {
  const parts = name.split("/");
  const [org, flowDate, file] = parts;
  if (parts.length !== 3 || org !== organization || flowDate === undefined || file === undefined) return undefined;
  const revision = revisionFile.exec(file);
  if (!file.endsWith(xmlSuffix) && revision === null) return undefined;
  const meta = flowMetadataSchema.safeParse(metadata ?? {});
  if (!meta.success) return undefined;
  const flowDateTime = new Date(meta.data.flowdatetime).toISOString();
  return {
    organization,
    flowDate,
    flowId: meta.data.flowid,
    flowDateTime,
    revision: revision === null ? 1 : Number(revision[2]),
  };
}

/** The revision as FdR-3 describes a flow (SingleFlowResponse), the document GET of the flow serves. */
function fdr3FlowDocument(flow: Fdr3Flow): Record<string, unknown> {
  return {
    fdr: flow.fdr,
    revision: flow.revision,
    status: flow.status,
    published: flow.published,
    fdrDate: flow.fdrDate,
    regulation: flow.regulation,
    regulationDate: flow.regulationDate,
    bicCodePouringBank: flow.bicCodePouringBank,
    sender: { pspId: flow.pspId, pspName: flow.pspName },
    receiver: { organizationId: flow.organizationId, organizationName: flow.organizationName },
    totPayments: flow.totPayments,
    sumPayments: Number(centsToEuros(flow.sumPaymentsCents)),
  };
}

const storedPayment = (p: Fdr3Payment) => ({
  index: p.index,
  iuv: p.iuv,
  iur: p.iur,
  idTransfer: p.idTransfer,
  pay: Number(centsToEuros(p.payCents)),
  payStatus: p.payStatus,
  payDate: p.payDate,
});

/**
 * The result as JSON, the same text JSON.stringify gives, written a slice of entries at a time: the result of a flow
 * of 50,000 unknown IUVs is megabytes of text, and one stringify call would hold the event loop for hundreds of
 * milliseconds (docs/adr/0066-big-flows-yield.md).
 */
export async function resultJson(result: FlowResult): Promise<Buffer> {
  const { unapplied, ...head } = result;
  // `unapplied` goes last, so the text ends with `"unapplied":[]}` and the entries are spliced in before `]}`.
  const headText = JSON.stringify({ ...head, unapplied: [] });
  const parts: Buffer[] = [Buffer.from(headText.slice(0, -2), "utf8")];
  for (let i = 0; i < unapplied.length; i += SLICE_ITEMS) {
    const slice = JSON.stringify(unapplied.slice(i, i + SLICE_ITEMS));
    parts.push(Buffer.from(`${i === 0 ? "" : ","}${slice.slice(1, -1)}`, "utf8"));
    await yieldToEventLoop();
  }
  parts.push(Buffer.from("]}", "utf8"));
  return Buffer.concat(parts);
}
