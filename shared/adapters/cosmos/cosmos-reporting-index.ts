// The reporting index in Cosmos (container `reporting`, partition key /organizationFiscalCode; docs/adr/0035 and
// 0036): per organization one document per flow ("flow:<flowId>", whatever its source), one per bank credit
// ("credit:<hash>", idempotent: the same statement entry always gets the same id) and the FdR-3 cursor
// ("fdr3-cursor"). Flows are replaced conditionally (ETag); credits are create-only.
import type { Container, ItemDefinition, SqlQuerySpec } from "@azure/cosmos";
import { z } from "zod";
import { DomainError } from "../../domain/errors";
import type { Versioned } from "../../domain/debt-positions/ports";
import type { CreditRecord, FlowRecord, ReportingIndex } from "../../domain/reporting/ports";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";

const flowDocId = (flowId: string) => `flow:${flowId}`;
const cursorId = "fdr3-cursor";

const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalInt = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? undefined);

const flowDocSchema = z.object({
  organizationFiscalCode: z.string(),
  flowId: z.string(),
  source: z.enum(["XML", "FDR3"]),
  flowDate: z.string(),
  flowDateTime: z.string(),
  pspId: z.string(),
  appliedRevision: optionalInt,
  applyingRevision: optionalInt,
  revisions: z.array(
    z.object({
      revision: z.number().int(),
      published: optionalString,
      totalPayments: z.number().int(),
      totalAmountCents: z.number().int(),
      flowDate: z.string(),
    }),
  ),
  totalPayments: z.number().int(),
  totalAmountCents: z.number().int(),
  rejection: z
    .object({ revision: z.number().int(), reason: z.string() })
    .nullish()
    .transform((v) => v ?? undefined),
  reconciliation: z
    .object({ reconciledDate: z.string(), reference: z.string() })
    .nullish()
    .transform((v) => v ?? undefined),
  updatedAt: z.string(),
  _etag: z.string(),
});

const creditDocSchema = z.object({
  id: z.string(),
  organizationFiscalCode: z.string(),
  statementId: z.string(),
  entryRef: z.string(),
  bookingDate: z.string(),
  amountCents: z.number().int(),
  flowId: optionalString,
  remittance: z.string(),
  receivedAt: z.string(),
});

const toFlow = (doc: unknown): Versioned<FlowRecord> => {
  const { organizationFiscalCode, _etag, ...rest } = flowDocSchema.parse(doc);
  return { value: { organization: organizationFiscalCode, ...rest }, etag: _etag };
};

const toCredit = (doc: unknown): CreditRecord => {
  const { organizationFiscalCode, ...rest } = creditDocSchema.parse(doc);
  return { organization: organizationFiscalCode, ...rest };
};

export class CosmosReportingIndex implements ReportingIndex {
  readonly #container: Container;
  readonly #organizations: Container;

  constructor(container: Container, organizations: Container) {
    this.#container = container;
    this.#organizations = organizations;
  }

  async getFlow(organization: string, flowId: string): Promise<Versioned<FlowRecord> | undefined> {
    try {
      const { resource } = await this.#container.item(flowDocId(flowId), organization).read<ItemDefinition>();
      return resource === undefined ? undefined : toFlow(resource);
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "flow record");
    }
  }

  /** The organizations holding a flow of this id (one, as a rule): what the operator CLI looks up without --org. */
  async organizationsOfFlow(flowId: string): Promise<string[]> {
    try {
      const { resources } = await this.#container.items
        .query<string>({
          query: "SELECT VALUE c.organizationFiscalCode FROM c WHERE c.id = @id AND c.kind = 'flow'",
          parameters: [{ name: "@id", value: flowDocId(flowId) }],
        })
        .fetchAll();
      return [...new Set(resources)].sort();
    } catch (e) {
      throw cosmosFailure(e, "query", "flow records");
    }
  }

  async saveFlow(previous: Versioned<FlowRecord> | undefined, next: FlowRecord): Promise<void> {
    const { organization, ...rest } = next;
    const body = JSON.parse(
      JSON.stringify({ ...rest, id: flowDocId(next.flowId), kind: "flow", organizationFiscalCode: organization }),
    ) as ItemDefinition;
    try {
      if (previous === undefined) await this.#container.items.create(body);
      else {
        await this.#container
          .item(flowDocId(next.flowId), organization)
          .replace(body, { accessCondition: { type: "IfMatch", condition: previous.etag } });
      }
    } catch (e) {
      const status = cosmosStatus(e);
      if (status === 409 || status === 412 || status === 404) {
        throw new DomainError(
          "CONCURRENT_MODIFICATION",
          `The record of flow ${next.flowId} of ${organization} was changed by another run: read it again`,
        );
      }
      throw cosmosFailure(e, "write", "flow record");
    }
  }

  async listFlows(organization: string, from: string, to: string): Promise<FlowRecord[]> {
    return (
      await this.#query(organization, {
        query:
          "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'flow' AND c.flowDate >= @from AND c.flowDate <= @to",
        parameters: [
          { name: "@org", value: organization },
          { name: "@from", value: from },
          { name: "@to", value: to },
        ],
      })
    ).map((d) => toFlow(d).value);
  }

  async findFlows(organization: string, flowIds: readonly string[]): Promise<FlowRecord[]> {
    if (flowIds.length === 0) return [];
    return (
      await this.#query(organization, {
        query: "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND ARRAY_CONTAINS(@ids, c.id)",
        parameters: [
          { name: "@org", value: organization },
          { name: "@ids", value: [...new Set(flowIds)].map(flowDocId) },
        ],
      })
    ).map((d) => toFlow(d).value);
  }

  async getCursor(organization: string): Promise<string | undefined> {
    try {
      const { resource } = await this.#container.item(cursorId, organization).read<ItemDefinition>();
      const published: unknown = resource?.published;
      return typeof published === "string" ? published : undefined;
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "FdR-3 cursor");
    }
  }

  async setCursor(organization: string, published: string): Promise<void> {
    try {
      await this.#container.items.upsert({
        id: cursorId,
        kind: "fdr3-cursor",
        organizationFiscalCode: organization,
        published,
      });
    } catch (e) {
      throw cosmosFailure(e, "write", "FdR-3 cursor");
    }
  }

  async addCredits(credits: readonly CreditRecord[]): Promise<number> {
    let added = 0;
    for (const credit of credits) {
      const { organization, ...rest } = credit;
      try {
        await this.#container.items.create(
          JSON.parse(
            JSON.stringify({ ...rest, kind: "credit", organizationFiscalCode: organization }),
          ) as ItemDefinition,
        );
        added += 1;
      } catch (e) {
        // Create-only: the same statement entry again (the same statement twice) is already there.
        if (cosmosStatus(e) !== 409) throw cosmosFailure(e, "write", "statement credit");
      }
    }
    return added;
  }

  async creditsOfFlows(organization: string, flowIds: readonly string[]): Promise<CreditRecord[]> {
    if (flowIds.length === 0) return [];
    return (
      await this.#query(organization, {
        query:
          "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'credit' AND ARRAY_CONTAINS(@ids, c.flowId)",
        parameters: [
          { name: "@org", value: organization },
          { name: "@ids", value: [...new Set(flowIds)] },
        ],
      })
    ).map(toCredit);
  }

  async listCredits(organization: string, from: string, to: string): Promise<CreditRecord[]> {
    return (
      await this.#query(organization, {
        query:
          "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'credit' AND c.bookingDate >= @from AND c.bookingDate <= @to",
        parameters: [
          { name: "@org", value: organization },
          { name: "@from", value: from },
          { name: "@to", value: to },
        ],
      })
    ).map(toCredit);
  }

  async fdr3Organizations(): Promise<string[]> {
    try {
      const { resources } = await this.#organizations.items
        .query<{ id: unknown }>("SELECT c.id FROM c WHERE c.fdr3Enabled = true")
        .fetchAll();
      return resources.map((r) => r.id).filter((id): id is string => typeof id === "string");
    } catch (e) {
      throw cosmosFailure(e, "list", "organizations");
    }
  }

  async #query(organization: string, spec: SqlQuerySpec): Promise<unknown[]> {
    try {
      return (await this.#container.items.query<unknown>(spec, { partitionKey: organization }).fetchAll()).resources;
    } catch (e) {
      throw cosmosFailure(e, "query", "reporting index");
    }
  }
}
