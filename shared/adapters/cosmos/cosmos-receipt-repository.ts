// The receipts index in Cosmos (container `receipts`, partition key /organizationFiscalCode; docs/adr/0008): one
// document per receipt, id = the IUV (URI-encoded: Cosmos ids may not hold / \ ? #), so (organization, IUV) is unique
// by construction and a re-delivered receipt finds its own entry. Every query names the partition key in its WHERE
// clause (docs/adr/0002 §2).
import type { Container, ItemDefinition, SqlParameter } from "@azure/cosmos";
import { z } from "zod";
import type {
  ReceiptEntry,
  ReceiptListPage,
  ReceiptListQuery,
  ReceiptRepository,
  ReceiptWrite,
} from "../../domain/receipts/ports";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";

const entrySchema = z.object({
  organizationFiscalCode: z.string(),
  iuv: z.string(),
  debtorFiscalCode: z.string(),
  paymentDateTime: z.string(),
  receiptId: z.string(),
  amount: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? undefined),
  noticeNumber: z.string(),
  segregationCode: z.string(),
  documentName: z.string(),
});

export const receiptDocumentId = (iuv: string): string => encodeURIComponent(iuv);

const projection = Object.keys(entrySchema.shape)
  .map((field) => `c.${field}`)
  .join(", ");

export class CosmosReceiptRepository implements ReceiptRepository {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async add(entry: ReceiptEntry): Promise<ReceiptWrite> {
    const document = { id: receiptDocumentId(entry.iuv), kind: "receipt", ...entry };
    try {
      await this.#container.items.create(document);
      return { outcome: "written" };
    } catch (e) {
      if (cosmosStatus(e) !== 409) throw cosmosFailure(e, "create", "receipt index entry");
    }
    // Already indexed: by this receipt (a re-run) or, if the data was tampered with, by another one.
    try {
      const response = await this.#container.item(document.id, entry.organizationFiscalCode).read<ItemDefinition>();
      const stored = entrySchema.safeParse(response.resource);
      const storedReceiptId = stored.success ? stored.data.receiptId : undefined;
      return storedReceiptId === entry.receiptId
        ? { outcome: "already-there" }
        : { outcome: "conflict", storedReceiptId };
    } catch (e) {
      throw cosmosFailure(e, "read", "receipt index entry");
    }
  }

  async list(query: ReceiptListQuery): Promise<ReceiptListPage> {
    const conditions = ["c.organizationFiscalCode = @org", "c.kind = 'receipt'"];
    const parameters: SqlParameter[] = [
      { name: "@org", value: query.organizationFiscalCode },
      { name: "@offset", value: query.page * query.limit },
      // One row more than the page: its presence is more_pages, without a second (COUNT) round trip.
      { name: "@take", value: query.limit + 1 },
    ];
    if (query.debtor !== undefined) {
      conditions.push("c.debtorFiscalCode = @debtor");
      parameters.push({ name: "@debtor", value: query.debtor });
    }
    if (query.service !== undefined) {
      conditions.push("STARTSWITH(c.iuv, @service)");
      parameters.push({ name: "@service", value: query.service });
    }
    if (query.paymentFrom !== undefined) {
      conditions.push("c.paymentDateTime >= @from");
      parameters.push({ name: "@from", value: query.paymentFrom });
    }
    if (query.paymentUntil !== undefined) {
      conditions.push("c.paymentDateTime < @until");
      parameters.push({ name: "@until", value: query.paymentUntil });
    }
    if (query.segregationCodes !== undefined) {
      conditions.push("ARRAY_CONTAINS(@codes, c.segregationCode)");
      parameters.push({ name: "@codes", value: [...query.segregationCodes] });
    }
    // IUV order: unique within the partition, so pages are stable; the reference's table is ordered the same way
    // (RowKey = IUV, docs/domain/receipts.md#storage).
    const sql = `SELECT ${projection} FROM c WHERE ${conditions.join(" AND ")} ORDER BY c.iuv ASC OFFSET @offset LIMIT @take`;
    try {
      const { resources } = await this.#container.items
        .query<unknown>(
          { query: sql, parameters },
          { partitionKey: query.organizationFiscalCode, maxItemCount: query.limit + 1 },
        )
        .fetchAll();
      const items = resources.map((r) => entrySchema.parse(r));
      return { items: items.slice(0, query.limit), morePages: items.length > query.limit };
    } catch (e) {
      throw cosmosFailure(e, "list", "receipts");
    }
  }
}
