// Debt positions in Cosmos (layout in debt-position-document.ts, decisions in docs/adr/0006). Every query names the
// partition key in its WHERE clause, because the npm emulator ignores the partitionKey option; every write that
// touches more than one document is one transactional batch.
import type { Container, ItemDefinition, SqlParameter } from "@azure/cosmos";
import { DomainError } from "../../domain/errors";
import type { DebtPosition } from "../../domain/debt-positions/model";
import type {
  CandidatePage,
  DebtPositionRepository,
  JobKind,
  ListPage,
  ListQuery,
  OrderBy,
  Versioned,
} from "../../domain/debt-positions/ports";
import { executeBatch, type ReversibleOperation } from "./cosmos-batch";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";
import { claimDocuments, fromDocument, iuvClaimId, navClaimId, positionId, toDocument } from "./debt-position-document";
import { outboxOf, withRevision } from "./event-document";

const orderFields: Record<OrderBy, string> = {
  INSERTED_DATE: "c.insertedDate",
  COMPANY_NAME: "c.companyName",
  IUPD: "c.iupd",
  STATUS: "c.status",
};

const uniqueViolation = (organizationFiscalCode: string) =>
  new DomainError(
    "DEBT_POSITION_UNIQUE_VIOLATION",
    `Already exists a debt position for the Organization Fiscal Code ${organizationFiscalCode} or one of its payment options is not unique`,
  );

const concurrentChange = (position: Pick<DebtPosition, "organizationFiscalCode" | "iupd">) =>
  new DomainError(
    "CONCURRENT_MODIFICATION",
    `The debt position with Organization Fiscal Code ${position.organizationFiscalCode} and IUPD ${position.iupd} was changed by another request: read it again and retry`,
  );

/** Effective-status predicates: the same rule as effective-status.ts, written in Cosmos SQL (`@now` bound). */
const becameValid = "(c.status = 'PUBLISHED' AND IS_STRING(c.validityDate) AND c.validityDate <= @now)";
const pastDue = "(c.switchToExpired = true AND IS_STRING(c.maxDueDate) AND c.maxDueDate < @now)";
const statusPredicates: Record<string, string> = {
  PUBLISHED: "(c.status = 'PUBLISHED' AND NOT (IS_STRING(c.validityDate) AND c.validityDate <= @now))",
  VALID: `((c.status = 'VALID' OR ${becameValid}) AND NOT ${pastDue})`,
  EXPIRED: `(c.status = 'EXPIRED' OR ((c.status = 'VALID' OR ${becameValid}) AND ${pastDue}))`,
};

export class CosmosDebtPositionRepository implements DebtPositionRepository {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async get(organizationFiscalCode: string, iupd: string): Promise<Versioned<DebtPosition> | undefined> {
    try {
      const { resource } = await this.#container.item(positionId(iupd), organizationFiscalCode).read<ItemDefinition>();
      if (resource === undefined) return undefined;
      const { position, etag, revision } = fromDocument(resource);
      return { value: position, etag, revision };
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "debt position");
    }
  }

  async findByPaymentReference(
    organizationFiscalCode: string,
    ref: { iuv: string } | { nav: string },
  ): Promise<Versioned<DebtPosition> | undefined> {
    const claimId = "iuv" in ref ? iuvClaimId(ref.iuv) : navClaimId(ref.nav);
    try {
      const { resource } = await this.#container.item(claimId, organizationFiscalCode).read<ItemDefinition>();
      const iupd: unknown = resource?.iupd;
      if (typeof iupd !== "string") return undefined;
      return await this.get(organizationFiscalCode, iupd);
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "payment option");
    }
  }

  async create(position: DebtPosition): Promise<string> {
    const outbox = outboxOf(undefined, position, new Date());
    const operations: ReversibleOperation[] = [
      withRevision(toDocument(position), outbox.revision),
      ...claimDocuments(position),
    ].map((doc) => ({
      operation: { operationType: "Create", resourceBody: doc as { id: string } },
      inverse: { operationType: "Delete", id: doc.id as string },
    }));
    operations.push(...outbox.operations);
    const outcome = await this.#batch(position.organizationFiscalCode, operations, "create");
    if (!outcome.ok) {
      if (outcome.status === 409) throw uniqueViolation(position.organizationFiscalCode);
      throw cosmosFailure({ code: outcome.status }, "create", "debt position");
    }
    return outcome.etags[0] ?? "";
  }

  async createMany(positions: readonly DebtPosition[]): Promise<void> {
    const created: Versioned<DebtPosition>[] = [];
    try {
      // Sequential on purpose: a failure stops the run early and leaves the least to undo.
      for (const position of positions) {
        const etag = await this.create(position);
        created.push({ value: position, etag });
      }
    } catch (e) {
      for (const done of created.reverse()) {
        await this.delete(done).catch(() => undefined);
      }
      throw e;
    }
  }

  async replace(previous: Versioned<DebtPosition>, next: DebtPosition): Promise<string> {
    const before = new Map(claimDocuments(previous.value).map((d) => [d.id as string, d]));
    const after = new Map(claimDocuments(next).map((d) => [d.id as string, d]));
    const id = positionId(next.iupd);
    const outbox = outboxOf(previous, next, new Date());
    const nextDocument = withRevision(toDocument(next), outbox.revision);
    const previousDocument = withRevision(toDocument(previous.value), previous.revision);
    // The conditional replace comes first: on the emulator a stale etag then stops the batch before anything else.
    const operations: ReversibleOperation[] = [
      {
        operation: { operationType: "Replace", id, resourceBody: nextDocument, ifMatch: previous.etag },
        inverse: { operationType: "Replace", id, resourceBody: previousDocument },
      },
      ...[...before.entries()]
        .filter(([claim]) => !after.has(claim))
        .map(([claim, doc]): ReversibleOperation => ({
          operation: { operationType: "Delete", id: claim },
          inverse: { operationType: "Create", resourceBody: doc as { id: string } },
        })),
      ...[...after.entries()]
        .filter(([claim]) => !before.has(claim))
        .map(([claim, doc]): ReversibleOperation => ({
          operation: { operationType: "Create", resourceBody: doc as { id: string } },
          inverse: { operationType: "Delete", id: claim },
        })),
      ...outbox.operations,
    ];
    const outcome = await this.#batch(next.organizationFiscalCode, operations, "update");
    if (!outcome.ok) {
      if (outcome.failedIndex === 0 && (outcome.status === 412 || outcome.status === 404)) throw concurrentChange(next);
      if (outcome.status === 409) throw uniqueViolation(next.organizationFiscalCode);
      throw cosmosFailure({ code: outcome.status }, "update", "debt position");
    }
    return outcome.etags[0] ?? "";
  }

  async delete(previous: Versioned<DebtPosition>): Promise<void> {
    const position = previous.value;
    const operations: ReversibleOperation[] = [
      {
        operation: { operationType: "Delete", id: positionId(position.iupd), ifMatch: previous.etag },
        inverse: { operationType: "Create", resourceBody: toDocument(position) as { id: string } },
      },
      ...claimDocuments(position).map((doc): ReversibleOperation => ({
        operation: { operationType: "Delete", id: doc.id as string },
        inverse: { operationType: "Create", resourceBody: doc as { id: string } },
      })),
      ...outboxOf(previous, undefined, new Date()).operations,
    ];
    const outcome = await this.#batch(position.organizationFiscalCode, operations, "delete");
    if (!outcome.ok) {
      if (outcome.failedIndex === 0 && (outcome.status === 412 || outcome.status === 404))
        throw concurrentChange(position);
      throw cosmosFailure({ code: outcome.status }, "delete", "debt position");
    }
  }

  async list(query: ListQuery): Promise<ListPage> {
    const conditions = ["c.organizationFiscalCode = @org", "c.kind = 'position'"];
    const parameters: SqlParameter[] = [
      { name: "@org", value: query.organizationFiscalCode },
      { name: "@now", value: query.now.toISOString() },
    ];
    if (query.dueDate) {
      conditions.push(
        "EXISTS(SELECT VALUE o FROM o IN c.paymentOption WHERE o.dueDate >= @dueFrom AND o.dueDate <= @dueTo)",
      );
      parameters.push({ name: "@dueFrom", value: query.dueDate.from }, { name: "@dueTo", value: query.dueDate.to });
    }
    if (query.paymentDate) {
      conditions.push("(c.paymentDate >= @payFrom AND c.paymentDate <= @payTo)");
      parameters.push(
        { name: "@payFrom", value: query.paymentDate.from },
        { name: "@payTo", value: query.paymentDate.to },
      );
    }
    if (query.status) {
      conditions.push(statusPredicates[query.status] ?? "c.status = @status");
      parameters.push({ name: "@status", value: query.status });
    }
    if (query.segregationCodes) {
      conditions.push("EXISTS(SELECT VALUE s FROM s IN c.segregationCodes WHERE ARRAY_CONTAINS(@codes, s))");
      parameters.push({ name: "@codes", value: [...query.segregationCodes] });
    }
    const where = conditions.join(" AND ");
    const direction = query.ordering;
    const pageQuery = {
      // c.id breaks ties so that pages never overlap or skip (composite indexes in storage-definition.json).
      query: `SELECT * FROM c WHERE ${where} ORDER BY ${orderFields[query.orderBy]} ${direction}, c.id ${direction} OFFSET @offset LIMIT @limit`,
      parameters: [
        ...parameters,
        { name: "@offset", value: query.page * query.limit },
        { name: "@limit", value: query.limit },
      ],
    };
    const countQuery = { query: `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, parameters };
    try {
      const options = { partitionKey: query.organizationFiscalCode };
      const page = await this.#container.items.query<unknown>(pageQuery, options).fetchAll();
      const items = page.resources.map((r) => fromDocument(r).position);
      const offset = query.page * query.limit;
      // A page that is neither full nor past the end already tells the total: the count query is skipped.
      if (items.length < query.limit && (items.length > 0 || offset === 0))
        return { items, total: offset + items.length };
      const count = await this.#container.items.query<number>(countQuery, options).fetchAll();
      return { items, total: count.resources[0] ?? 0 };
    } catch (e) {
      throw cosmosFailure(e, "list", "debt positions");
    }
  }

  async findJobCandidates(kind: JobKind, now: Date, pageSize: number, continuation?: string): Promise<CandidatePage> {
    const predicate =
      kind === "validate"
        ? "c.status = 'PUBLISHED' AND IS_STRING(c.validityDate) AND c.validityDate <= @now"
        : `c.status = 'VALID' AND ${pastDue}`;
    try {
      const response = await this.#container.items
        .query<unknown>(
          {
            query: `SELECT * FROM c WHERE c.kind = 'position' AND ${predicate}`,
            parameters: [{ name: "@now", value: now.toISOString() }],
          },
          { maxItemCount: pageSize, continuationToken: continuation },
        )
        .fetchNext();
      return {
        items: response.resources.map((r) => {
          const { position, etag, revision } = fromDocument(r);
          return { value: position, etag, revision };
        }),
        continuation: response.continuationToken,
      };
    } catch (e) {
      throw cosmosFailure(e, "query", "debt positions");
    }
  }

  async #batch(organizationFiscalCode: string, operations: ReversibleOperation[], verb: string) {
    if (operations.length > 100) {
      throw new DomainError("DEBT_POSITION_REQUEST_DATA_ERROR", "A debt position may have at most 49 payment options");
    }
    try {
      return await executeBatch(this.#container, organizationFiscalCode, operations);
    } catch (e) {
      throw cosmosFailure(e, verb, "debt position");
    }
  }
}
