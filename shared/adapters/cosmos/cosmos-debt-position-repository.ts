// Debt positions in Cosmos (layout in debt-position-document.ts, decisions in docs/adr/0006). Every query names the
// partition key in its WHERE clause, because the npm emulator ignores the partitionKey option; every write that
// touches more than one document is one transactional batch.
import type { Container, ItemDefinition, SqlParameter } from "@azure/cosmos";
import { z } from "zod";
import { DomainError } from "../../domain/errors";
import type { DebtPosition } from "../../domain/debt-positions/model";
import { duplicateIupd, duplicateIuv, duplicateNav } from "../../domain/debt-positions/uniqueness";
import type {
  BulkRecovery,
  CandidatePage,
  DebtPositionRepository,
  JobKind,
  ListPage,
  ListQuery,
  OrderBy,
  Versioned,
} from "../../domain/debt-positions/ports";
import { executeBatch, MAX_BATCH_OPERATIONS, type BatchOperation } from "./cosmos-batch";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";
import { changeableIbans } from "../../domain/debt-positions/iban-change";
import {
  claimDocuments,
  fromDocument,
  iuvClaimId,
  navClaimId,
  readClaim,
  positionId,
  readDocument,
  readDocuments,
  toDocument,
} from "./debt-position-document";
import { heldEventsKind, heldUntilBulkEnds, outboxOf, withRevision } from "./event-document";

const bulkMarkerId = (bulkId: string) => `bulk:${bulkId}`;

/** The marker of a bulk create: its state is the bulk's commit point (ADR 0015). */
const bulkMarkerSchema = z.object({
  id: z.string(),
  kind: z.literal("bulk"),
  organizationFiscalCode: z.string(),
  bulkId: z.string(),
  state: z.enum(["pending", "committed", "aborting"]),
  createdAt: z.string(),
  iupds: z.array(z.string()),
  _etag: z.string(),
});
type BulkMarker = z.infer<typeof bulkMarkerSchema>;

const abandoned = () =>
  new DomainError(
    "SERVICE_UNAVAILABLE",
    "This bulk request was abandoned while it was being written (nothing of it is kept): retry the request.",
  );

const orderFields: Record<OrderBy, string> = {
  INSERTED_DATE: "c.insertedDate",
  COMPANY_NAME: "c.companyName",
  IUPD: "c.iupd",
  STATUS: "c.status",
};

/** The identifier a refused write collided on: one of the claims it creates (IUV, NAV), else the position's own id. */
const uniqueViolation = (position: DebtPosition, failed: BatchOperation | undefined) => {
  const body: unknown = failed !== undefined && "resourceBody" in failed ? failed.resourceBody : undefined;
  const id = typeof body === "object" && body !== null && "id" in body && typeof body.id === "string" ? body.id : "";
  const { organizationFiscalCode: org, iupd } = position;
  if (id.startsWith("iuv:")) return duplicateIuv(org, iupd, id.slice("iuv:".length));
  if (id.startsWith("nav:")) return duplicateNav(org, iupd, id.slice("nav:".length));
  return duplicateIupd(org, iupd);
};

/** A stored position this version cannot parse: refused the same way for every caller (docs/adr/0065). */
const unreadablePosition = (organizationFiscalCode: string, iupd: string, reason: string) =>
  new DomainError(
    "DEBT_POSITION_UNREADABLE",
    `The debt position with Organization Fiscal Code ${organizationFiscalCode} and IUPD ${iupd} is stored in a form GPD can no longer read (${reason}). Nothing was changed; an operator must repair it: quote the X-Request-Id.`,
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

/**
 * The Creates of one new position: its document, its IUV/NAV claims and its outbox document (held under its bulk
 * when it is written pending, docs/adr/0040). The write's events go in the same batch: they exist exactly when it does.
 */
function creationOperations(position: DebtPosition): BatchOperation[] {
  const own = outboxOf(undefined, position, new Date());
  const outbox = position.pendingBulk === undefined ? own : heldUntilBulkEnds(own, position.pendingBulk);
  return [
    ...[withRevision(toDocument(position), outbox.revision), ...claimDocuments(position)].map(
      (doc): BatchOperation => ({ operationType: "Create", resourceBody: doc }),
    ),
    ...outbox.operations,
  ];
}

/** A document a bulk wrote pending (a position or its held outbox), as sent, with the etag its batch answered. */
interface WrittenDocument {
  body: Record<string, unknown>;
  etag: string;
}

/** The positions and held outbox documents among a bulk batch's Creates, with their etags. */
function writtenByBulk(
  operations: readonly BatchOperation[],
  etags: readonly (string | undefined)[],
): WrittenDocument[] {
  return operations.flatMap((op, i) => {
    if (op.operationType !== "Create") return [];
    const body = op.resourceBody as Record<string, unknown>;
    const etag = etags[i];
    if ((body.kind !== "position" && body.kind !== heldEventsKind) || etag === undefined) return [];
    return [{ body, etag }];
  });
}

/** Cosmos' other batch limit is 2 MB of request; positions are packed well below it. */
const MAX_GROUP_BYTES = 1_500_000;

/** Consecutive writes packed into groups whose operations each fit one transactional batch. */
function batchGroups<T extends { operations: BatchOperation[] }>(writes: readonly T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let operations = 0;
  let bytes = 0;
  for (const write of writes) {
    const size = Buffer.byteLength(JSON.stringify(write.operations));
    const count = write.operations.length;
    if (current.length > 0 && (operations + count > MAX_BATCH_OPERATIONS || bytes + size > MAX_GROUP_BYTES)) {
      groups.push(current);
      current = [];
      operations = 0;
      bytes = 0;
    }
    current.push(write);
    operations += count;
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export class CosmosDebtPositionRepository implements DebtPositionRepository {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async get(organizationFiscalCode: string, iupd: string): Promise<Versioned<DebtPosition> | undefined> {
    try {
      const { resource } = await this.#container.item(positionId(iupd), organizationFiscalCode).read<ItemDefinition>();
      if (resource === undefined) return undefined;
      const read = readDocument(resource);
      if (!read.ok) throw unreadablePosition(organizationFiscalCode, iupd, read.reason);
      const { position, etag, revision } = read;
      if (position.pendingBulk === undefined) return { value: position, etag, revision };
      // Part of a bulk: visible only once the bulk committed (its clean-up may not have run yet).
      const marker = await this.#readMarker(organizationFiscalCode, position.pendingBulk);
      if (marker?.state !== "committed") return undefined;
      return { value: { ...position, pendingBulk: undefined }, etag, revision };
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
      const claim = readClaim(resource);
      if (claim === undefined) return undefined;
      return await this.get(organizationFiscalCode, claim.iupd);
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "payment option");
    }
  }

  async create(position: DebtPosition): Promise<string> {
    // The write's events go in the same batch (docs/adr/0040-events-outbox.md): they exist exactly when it does. A
    // position written pending under a bulk is not a change anyone can see yet, and recovery may remove it: its
    // events are held under the bulk, released when the bulk finishes and deleted if it is removed.
    const operations = creationOperations(position);
    const outcome = await this.#batch(position.organizationFiscalCode, operations, "create");
    if (!outcome.ok) {
      if (outcome.status === 409) throw uniqueViolation(position, operations[outcome.failedIndex]);
      throw cosmosFailure({ code: outcome.status }, "create", "debt position");
    }
    return outcome.etags[0] ?? "";
  }

  // Bulk create (docs/adr/0015-crash-safe-bulk-create.md). A bulk of up to 100 positions is up to 100 × 99 documents,
  // far beyond one transactional batch, so its atomicity comes from a marker document instead:
  //   1. the marker `bulk:<bulkId>` is created, state "pending";
  //   2. the positions are written with their claims and held outbox, packed into batches, carrying
  //      `pendingBulk: <bulkId>`;
  //   3. the commit point: one conditional replace of the marker to "committed" (on the etag it was created with);
  //   4. clean-up: the positions lose `pendingBulk`, their outbox is released and the marker deleted, in batches
  //      conditional on the etags step 2 answered (a retry, or a position updated meanwhile, finds them by query).
  // A bulk of 50 small positions is 6 round trips: marker, 2 batches, commit, 2 clean-up batches.
  // Readers never see a position whose bulk is not committed: `get` checks the marker, queries skip pending positions.
  // A crash before 3 leaves a pending bulk that a retry finishes or recovery removes; a crash after 3 leaves work
  // that a retry or recovery completes. Claims of a pending bulk do hold their IUV/NAV, so a concurrent create of
  // the same identifiers gets a 409 while the bulk is in flight, as it would after it.
  async createMany(positions: readonly DebtPosition[], bulk: { bulkId: string; now: Date }): Promise<void> {
    const [first] = positions;
    if (first === undefined) return;
    const org = first.organizationFiscalCode;
    const opened = await this.#openBulk(org, bulk.bulkId, positions, bulk.now);
    if (opened.state === "committed") {
      await this.#finishBulk(org, bulk.bulkId);
      return;
    }
    const prepared = positions.map((position) => ({
      position,
      operations: creationOperations({ ...position, pendingBulk: bulk.bulkId }),
    }));
    // What this attempt wrote, with the etags the batches answered: the clean-up needs no query when all of it was
    // written here (undefined once any position went the one-at-a-time way below).
    let written: WrittenDocument[] | undefined = [];
    for (const group of batchGroups(prepared)) {
      // Several positions per transactional batch (they share the organization's partition): a bulk of 100 small
      // positions is 4 round trips, not 100.
      const operations = group.flatMap((g) => g.operations);
      const outcome = await this.#batch(org, operations, "create");
      if (outcome.ok) {
        written?.push(...writtenByBulk(operations, outcome.etags));
        continue;
      }
      if (outcome.status !== 409) throw cosmosFailure({ code: outcome.status }, "create", "debt position");
      written = undefined;
      // Something in the group exists already: one position at a time, to tell this bulk's own earlier writes
      // (a retry) from a conflict with someone else's.
      for (const { position } of group) {
        try {
          await this.create({ ...position, pendingBulk: bulk.bulkId });
        } catch (e) {
          if (!(e instanceof DomainError && e.code === "DEBT_POSITION_UNIQUE_VIOLATION")) throw e;
          if (await this.#alreadyWritten(position, bulk.bulkId)) continue;
          await this.#removeBulk(org, bulk.bulkId, opened.etag);
          throw e;
        }
      }
    }
    await this.#commitBulk(org, bulk.bulkId, opened.marker);
    if (written === undefined || !(await this.#finishWritten(org, bulk.bulkId, written))) {
      await this.#finishBulk(org, bulk.bulkId);
    }
  }

  async recoverBulks(staleBefore: Date): Promise<BulkRecovery> {
    const result: BulkRecovery = { finished: 0, removed: 0 };
    let markers: BulkMarker[];
    try {
      // Cross-partition on purpose: recovery looks for bulks of every organization (few documents, a rare job).
      const { resources } = await this.#container.items
        .query<unknown>({ query: "SELECT * FROM c WHERE c.kind = 'bulk'" })
        .fetchAll();
      markers = resources.flatMap((r) => {
        const parsed = bulkMarkerSchema.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      });
    } catch (e) {
      throw cosmosFailure(e, "query", "bulk markers");
    }
    for (const marker of markers) {
      const org = marker.organizationFiscalCode;
      if (marker.state === "committed") {
        await this.#finishBulk(org, marker.bulkId);
        result.finished += 1;
      } else if (marker.state === "aborting" || Date.parse(marker.createdAt) < staleBefore.getTime()) {
        await this.#removeBulk(org, marker.bulkId, marker._etag);
        result.removed += 1;
      }
    }
    return result;
  }

  /** Creates the marker, or finds the one an earlier attempt of the same bulk created. */
  async #openBulk(
    org: string,
    bulkId: string,
    positions: readonly DebtPosition[],
    now: Date,
  ): Promise<{ state: BulkMarker["state"]; etag: string; marker: BulkMarker }> {
    const marker = {
      id: bulkMarkerId(bulkId),
      kind: "bulk",
      organizationFiscalCode: org,
      bulkId,
      state: "pending",
      createdAt: now.toISOString(),
      iupds: positions.map((p) => p.iupd),
    };
    try {
      const { resource } = await this.#container.items.create(marker);
      const etag = resource?._etag ?? "";
      return { state: "pending", etag, marker: bulkMarkerSchema.parse({ ...marker, _etag: etag }) };
    } catch (e) {
      if (cosmosStatus(e) !== 409) throw cosmosFailure(e, "create", "bulk marker");
    }
    const existing = await this.#readMarker(org, bulkId);
    if (existing === undefined || existing.state === "aborting") {
      throw new DomainError(
        "SERVICE_UNAVAILABLE",
        "An earlier attempt of this bulk request is being removed: retry the request later.",
      );
    }
    return { state: existing.state, etag: existing._etag, marker: existing };
  }

  /** A position of this bulk written by an earlier attempt, or the same position created earlier by the same request. */
  async #alreadyWritten(position: DebtPosition, bulkId: string): Promise<boolean> {
    const raw = await this.#readRaw(position.organizationFiscalCode, positionId(position.iupd));
    if (raw === undefined) return false;
    if (raw.pendingBulk === bulkId) return true;
    return (
      raw.pendingBulk === undefined &&
      position.creationFingerprint !== undefined &&
      raw.creationFingerprint === position.creationFingerprint
    );
  }

  /**
   * The commit point: the marker goes from pending to committed, conditionally on what this attempt saw (the marker
   * as it opened the bulk: no read unless someone moved it since).
   */
  async #commitBulk(org: string, bulkId: string, seen: BulkMarker): Promise<void> {
    const id = bulkMarkerId(bulkId);
    try {
      // Only a pending bulk gets here (a committed one is finished, an aborting one refused, when it opens).
      const { _etag: etag, ...body } = seen;
      await this.#container
        .item(id, org)
        .replace({ ...body, state: "committed" }, { accessCondition: { type: "IfMatch", condition: etag } });
    } catch (e) {
      if (e instanceof DomainError) throw e;
      // Someone else moved the marker first: a concurrent retry committed it (fine) or recovery is removing it.
      if (cosmosStatus(e) === 412 || cosmosStatus(e) === 404) {
        const after = await this.#readMarker(org, bulkId);
        if (after?.state === "committed") return;
        throw abandoned();
      }
      throw cosmosFailure(e, "commit", "bulk");
    }
  }

  /** Clears `pendingBulk` on the bulk's positions (one batch: a bulk has at most 100), then deletes the marker. */
  async #finishBulk(org: string, bulkId: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const pending = await this.#pendingDocuments(org, bulkId);
      if (pending.length === 0) break;
      const operations: BatchOperation[] = pending.map((doc) => {
        const { pendingBulk: _bulk, ...rest } = doc;
        return {
          operationType: "Replace",
          id: String(doc.id),
          resourceBody: rest as { id: string },
          ifMatch: String(doc._etag),
        };
      });
      const outcome = await this.#batch(org, operations, "commit");
      if (outcome.ok) break;
      // A position changed since the query (an update of the now visible position): read again.
      if (attempt >= 3) throw cosmosFailure({ code: outcome.status }, "commit", "bulk");
    }
    await this.#releaseHeldEvents(org, bulkId);
    try {
      await this.#container.item(bulkMarkerId(bulkId), org).delete();
    } catch (e) {
      if (cosmosStatus(e) !== 404) throw cosmosFailure(e, "delete", "bulk marker");
    }
  }

  /**
   * The clean-up of a bulk all written by this attempt, from what the batches answered: each position without its
   * `pendingBulk` and each held outbox document released (conditional on the etags written), then the marker deleted,
   * in as few batches as fit. False when something moved in the meantime (a position updated as soon as it became
   * visible): the caller then finishes by querying, as a retry would.
   */
  async #finishWritten(org: string, bulkId: string, written: readonly WrittenDocument[]): Promise<boolean> {
    const operations: BatchOperation[] = written.map(({ body, etag }) => {
      const id = String(body.id);
      if (body.kind === heldEventsKind) {
        const { bulkId: _bulk, ...rest } = body;
        return {
          operationType: "Replace",
          id,
          resourceBody: { ...rest, id, kind: "events", pending: true },
          ifMatch: etag,
        };
      }
      const { pendingBulk: _bulk, ...rest } = body;
      return { operationType: "Replace", id, resourceBody: { ...rest, id }, ifMatch: etag };
    });
    operations.push({ operationType: "Delete", id: bulkMarkerId(bulkId) });
    for (let i = 0; i < operations.length; i += MAX_BATCH_OPERATIONS) {
      const outcome = await this.#batch(org, operations.slice(i, i + MAX_BATCH_OPERATIONS), "commit");
      if (outcome.ok) continue;
      if (outcome.status === 412 || outcome.status === 404) return false;
      throw cosmosFailure({ code: outcome.status }, "commit", "bulk");
    }
    return true;
  }

  /** Abandons an uncommitted bulk: marker to "aborting" (so no attempt commits it), its positions removed, marker gone. */
  async #removeBulk(org: string, bulkId: string, etag: string): Promise<void> {
    const id = bulkMarkerId(bulkId);
    const current = await this.#readMarker(org, bulkId);
    if (current?.state === "committed") return;
    if (current?.state === "pending") {
      try {
        const { _etag: _ignored, ...body } = current;
        await this.#container
          .item(id, org)
          .replace(
            { ...body, state: "aborting" },
            { accessCondition: { type: "IfMatch", condition: etag === "" ? current._etag : etag } },
          );
      } catch (e) {
        // Committed or moved on by another attempt in the meantime: not ours to remove.
        if (cosmosStatus(e) === 412 || cosmosStatus(e) === 404) return;
        throw cosmosFailure(e, "abort", "bulk");
      }
    }
    for (const doc of await this.#pendingDocuments(org, bulkId)) {
      const { position, etag: docEtag } = fromDocument(doc);
      await this.delete({ value: position, etag: docEtag }).catch((e: unknown) => {
        if (!(e instanceof DomainError && e.code === "CONCURRENT_MODIFICATION")) throw e;
      });
    }
    for (const doc of await this.#heldEvents(org, bulkId)) {
      try {
        await this.#container.item(String(doc.id), org).delete();
      } catch (e) {
        if (cosmosStatus(e) !== 404) throw cosmosFailure(e, "delete", "held events");
      }
    }
    try {
      await this.#container.item(id, org).delete();
    } catch (e) {
      if (cosmosStatus(e) !== 404) throw cosmosFailure(e, "delete", "bulk marker");
    }
  }

  /**
   * The bulk's held outbox documents become ordinary pending ones (batches of 100: a bulk holds at most 100
   * positions, one document each). Runs before the marker goes, so a crash here is finished by recovery.
   */
  async #releaseHeldEvents(org: string, bulkId: string): Promise<void> {
    const held = await this.#heldEvents(org, bulkId);
    for (let i = 0; i < held.length; i += 100) {
      const operations = held.slice(i, i + 100).map((doc): BatchOperation => {
        const { bulkId: _bulk, _etag: etag, _rid, _self, _ts, _attachments, ...rest } = doc;
        return {
          operationType: "Replace",
          id: String(doc.id),
          resourceBody: { ...rest, id: String(doc.id), kind: "events", pending: true },
          ifMatch: String(etag),
        };
      });
      const outcome = await this.#batch(org, operations, "commit");
      // Only another attempt finishing the same bulk touches these documents: it released them.
      if (!outcome.ok && outcome.status !== 412 && outcome.status !== 404)
        throw cosmosFailure({ code: outcome.status }, "commit", "bulk events");
    }
  }

  /** The bulk's held outbox documents (docs/adr/0040). */
  async #heldEvents(org: string, bulkId: string): Promise<Record<string, unknown>[]> {
    return this.#ofBulk(org, `c.kind = '${heldEventsKind}' AND c.bulkId = @bulk`, bulkId, "held events");
  }

  /** The positions written pending under the bulk (ADR 0015). */
  async #pendingDocuments(org: string, bulkId: string): Promise<Record<string, unknown>[]> {
    return this.#ofBulk(org, "c.kind = 'position' AND c.pendingBulk = @bulk", bulkId, "bulk positions");
  }

  async #ofBulk(org: string, predicate: string, bulkId: string, what: string): Promise<Record<string, unknown>[]> {
    try {
      const { resources } = await this.#container.items
        .query<Record<string, unknown>>(
          {
            query: `SELECT * FROM c WHERE c.organizationFiscalCode = @org AND ${predicate}`,
            parameters: [
              { name: "@org", value: org },
              { name: "@bulk", value: bulkId },
            ],
          },
          { partitionKey: org },
        )
        .fetchAll();
      return resources;
    } catch (e) {
      throw cosmosFailure(e, "query", what);
    }
  }

  async #readMarker(org: string, bulkId: string): Promise<BulkMarker | undefined> {
    const raw = await this.#readRaw(org, bulkMarkerId(bulkId));
    if (raw === undefined) return undefined;
    return bulkMarkerSchema.parse(raw);
  }

  async #readRaw(org: string, id: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { resource } = await this.#container.item(id, org).read<Record<string, unknown>>();
      return resource;
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "debt position");
    }
  }

  async replaceMany(changes: readonly { previous: Versioned<DebtPosition>; next: DebtPosition }[]): Promise<void> {
    const done: { previous: Versioned<DebtPosition>; written: Versioned<DebtPosition> }[] = [];
    try {
      for (const change of changes) {
        const etag = await this.replace(change.previous, change.next);
        done.push({ previous: change.previous, written: { value: change.next, etag } });
      }
    } catch (e) {
      for (const { previous, written } of done.reverse()) {
        await this.replace(written, previous.value).catch(() => undefined);
      }
      throw e;
    }
  }

  async deleteMany(previous: readonly Versioned<DebtPosition>[]): Promise<void> {
    const done: DebtPosition[] = [];
    try {
      for (const stored of previous) {
        await this.delete(stored);
        done.push(stored.value);
      }
    } catch (e) {
      for (const position of done.reverse()) {
        await this.create(position).catch(() => undefined);
      }
      throw e;
    }
  }

  async findByChangeableIban(
    organizationFiscalCode: string,
    iban: string,
    pageSize: number,
    continuation?: string,
  ): Promise<CandidatePage> {
    let response;
    try {
      response = await this.#container.items
        .query<unknown>(
          {
            // Documents written before changeableIbans existed have no such field: they are found once here,
            // re-indexed below, and never again (docs/adr/0025).
            query:
              "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'position' AND (ARRAY_CONTAINS(c.changeableIbans, @iban) OR NOT IS_DEFINED(c.changeableIbans))",
            parameters: [
              { name: "@org", value: organizationFiscalCode },
              { name: "@iban", value: iban },
            ],
          },
          { partitionKey: organizationFiscalCode, maxItemCount: pageSize, continuationToken: continuation },
        )
        .fetchNext();
    } catch (e) {
      throw cosmosFailure(e, "query", "debt positions");
    }
    const items: Versioned<DebtPosition>[] = [];
    const unreadable: { id: string; reason: string }[] = [];
    for (const resource of response.resources) {
      // One document that no longer parses is reported and skipped: the others still get their new IBAN.
      const read = readDocument(resource);
      if (!read.ok) {
        unreadable.push({ id: read.id, reason: read.reason });
        continue;
      }
      const { position, etag } = read;
      const indexed = Array.isArray((resource as { changeableIbans?: unknown }).changeableIbans);
      if (indexed) {
        items.push({ value: position, etag });
        continue;
      }
      const reindexed = await this.#reindex({ value: position, etag });
      if (reindexed !== undefined && changeableIbans(position).includes(iban)) items.push(reindexed);
    }
    return { items, continuation: response.continuationToken, unreadable };
  }

  /** Rewrites a document as it is, so its derived fields are computed; undefined when it changed meanwhile. */
  async #reindex(stored: Versioned<DebtPosition>): Promise<Versioned<DebtPosition> | undefined> {
    try {
      return { value: stored.value, etag: await this.replace(stored, stored.value) };
    } catch (e) {
      // Whoever changed it wrote the derived fields: the next query finds it by its index if it matches.
      if (e instanceof DomainError && e.code === "CONCURRENT_MODIFICATION") return undefined;
      throw e;
    }
  }

  async replace(previous: Versioned<DebtPosition>, next: DebtPosition): Promise<string> {
    const before = new Set(claimDocuments(previous.value).map((d) => d.id));
    const after = new Map(claimDocuments(next).map((d) => [d.id, d]));
    const id = positionId(next.iupd);
    const outbox = outboxOf(previous, next, new Date());
    // The conditional replace comes first, so a lost race is recognisable by its index; the events go last.
    const operations: BatchOperation[] = [
      {
        operationType: "Replace",
        id,
        resourceBody: withRevision(toDocument(next), outbox.revision),
        ifMatch: previous.etag,
      },
      ...[...before]
        .filter((claim) => !after.has(claim))
        .map((claim): BatchOperation => ({ operationType: "Delete", id: claim })),
      ...[...after.entries()]
        .filter(([claim]) => !before.has(claim))
        .map(([, doc]): BatchOperation => ({ operationType: "Create", resourceBody: doc })),
      ...outbox.operations,
    ];
    const outcome = await this.#batch(next.organizationFiscalCode, operations, "update");
    if (!outcome.ok) {
      if (outcome.failedIndex === 0 && (outcome.status === 412 || outcome.status === 404)) throw concurrentChange(next);
      if (outcome.status === 409) throw uniqueViolation(next, operations[outcome.failedIndex]);
      throw cosmosFailure({ code: outcome.status }, "update", "debt position");
    }
    return outcome.etags[0] ?? "";
  }

  async delete(previous: Versioned<DebtPosition>): Promise<void> {
    const position = previous.value;
    const operations: BatchOperation[] = [
      { operationType: "Delete", id: positionId(position.iupd), ifMatch: previous.etag },
      ...claimDocuments(position).map((doc): BatchOperation => ({ operationType: "Delete", id: doc.id })),
      // Removing what a bulk left pending (recovery) is not a change anyone saw: no events.
      ...(position.pendingBulk === undefined ? outboxOf(previous, undefined, new Date()).operations : []),
    ];
    const outcome = await this.#batch(position.organizationFiscalCode, operations, "delete");
    if (!outcome.ok) {
      if (outcome.failedIndex === 0 && (outcome.status === 412 || outcome.status === 404))
        throw concurrentChange(position);
      throw cosmosFailure({ code: outcome.status }, "delete", "debt position");
    }
  }

  async list(query: ListQuery): Promise<ListPage> {
    // Positions of an uncommitted bulk are never listed (ADR 0015).
    const conditions = ["c.organizationFiscalCode = @org", "c.kind = 'position'", "NOT IS_DEFINED(c.pendingBulk)"];
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
      // One document that no longer parses must not take the organization's whole list down with it.
      const { read, unreadable } = readDocuments(page.resources);
      const items = read.map((r) => r.position);
      const offset = query.page * query.limit;
      const found = page.resources.length;
      // A page that is neither full nor past the end already tells the total: the count query is skipped.
      if (found < query.limit && (found > 0 || offset === 0)) return { items, total: offset + found, unreadable };
      const count = await this.#container.items.query<number>(countQuery, options).fetchAll();
      return { items, total: count.resources[0] ?? 0, unreadable };
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
            query: `SELECT * FROM c WHERE c.kind = 'position' AND NOT IS_DEFINED(c.pendingBulk) AND ${predicate}`,
            parameters: [{ name: "@now", value: now.toISOString() }],
          },
          { maxItemCount: pageSize, continuationToken: continuation },
        )
        .fetchNext();
      const { read, unreadable } = readDocuments(response.resources);
      return {
        items: read.map(({ position, etag, revision }) => ({ value: position, etag, revision })),
        continuation: response.continuationToken,
        unreadable,
      };
    } catch (e) {
      throw cosmosFailure(e, "query", "debt positions");
    }
  }

  async #batch(organizationFiscalCode: string, operations: BatchOperation[], verb: string) {
    if (operations.length > MAX_BATCH_OPERATIONS) {
      throw new DomainError("DEBT_POSITION_REQUEST_DATA_ERROR", "A debt position may have at most 49 payment options");
    }
    try {
      return await executeBatch(this.#container, organizationFiscalCode, operations);
    } catch (e) {
      throw cosmosFailure(e, verb, "debt position");
    }
  }
}
