// The debt-position use cases: each handler makes exactly one call here. They load what the pure domain needs,
// let it decide, and write back conditionally (ETag), re-reading and re-deciding when another request won the race.
import { createHash } from "node:crypto";
import { DomainError } from "../domain/errors";
import {
  assertDeletable,
  createDebtPosition,
  invalidateDebtPosition,
  publishDebtPosition,
  replaceDebtPosition,
  toPublicView,
} from "../domain/debt-positions/lifecycle";
import type { DebtPosition, DebtPositionInput } from "../domain/debt-positions/model";
import type {
  BulkRecovery,
  DebtPositionRepository,
  ListPage,
  ListCriteria,
  Versioned,
} from "../domain/debt-positions/ports";
import { UniquenessViolation } from "../domain/debt-positions/uniqueness";
import { validateDebtPosition as validateInput, type IbanRegistryLookup } from "../domain/debt-positions/validation";
import type { OrganizationRepository } from "../domain/organizations/organization";
import { withinSegregation } from "../domain/subscriptions/subscription";
import { retryLostRaces } from "./lost-races";
import type { CallContext } from "./call-context";

/** A digest of a request: zod builds inputs in schema order, so equal requests serialise equally. */
const fingerprintOf = (request: unknown): string =>
  createHash("sha256").update(JSON.stringify(request)).digest("base64url");

export interface DebtPositionServiceDeps {
  repository: DebtPositionRepository;
  organizations: OrganizationRepository;
  taxonomy?: ReadonlySet<string> | undefined;
  /** How many times a write that lost a race is re-decided on fresh data before answering 409. */
  maxAttempts?: number;
}

const notFound = (org: string, iupd: string) =>
  new DomainError(
    "DEBT_POSITION_NOT_FOUND",
    `Not found a debt position for Organization Fiscal Code ${org} and IUPD ${iupd}`,
  );

const forbidden = (org: string, iupd: string) =>
  new DomainError(
    "DEBT_POSITION_FORBIDDEN",
    `The caller does not have proper authorization to access or modify the IUVs in the payment position. [Organization Fiscal Code=${org}, IUPD=${iupd}]`,
  );

/** The same IUPD twice in one bulk request could only half-apply: refused up front. */
function assertDistinct(iupds: readonly string[]): void {
  const duplicate = iupds.find((iupd, i) => iupds.indexOf(iupd) !== i);
  if (duplicate !== undefined) {
    throw new DomainError("BAD_REQUEST", `The IUPD ${duplicate} appears more than once in the request`);
  }
}

/** Where in a bulk request a refusal is: `paymentPositions[i] (iupd X): `, the body's own path and the position's name. */
const bulkItem = (index: number, iupd: string): string => `paymentPositions[${index}] (iupd ${iupd}): `;

const inBulk = (index: number, iupd: string, e: unknown): unknown =>
  e instanceof DomainError ? new DomainError(e.code, `${bulkItem(index, iupd)}${e.detail}`) : e;

export class DebtPositionService {
  readonly #deps: DebtPositionServiceDeps;
  readonly #maxAttempts: number;

  constructor(deps: DebtPositionServiceDeps) {
    this.#deps = deps;
    this.#maxAttempts = deps.maxAttempts ?? 3;
  }

  async create(ctx: CallContext, input: DebtPositionInput, toPublish: boolean): Promise<DebtPosition> {
    const [prepared] = await this.#prepareNew(ctx, [input], toPublish);
    const position = prepared as DebtPosition;
    try {
      await this.#deps.repository.create(position);
    } catch (e) {
      // The same request retried after an ambiguous failure (a timeout after the write) finds its own position:
      // that is its success, not someone else's conflict (docs/adr/0016).
      if (!(e instanceof DomainError && e.code === "DEBT_POSITION_UNIQUE_VIOLATION")) throw e;
      const existing = await this.#deps.repository.get(ctx.organizationFiscalCode, position.iupd);
      if (existing === undefined || existing.value.creationFingerprint !== position.creationFingerprint) throw e;
      return toPublicView(existing.value, ctx.now);
    }
    return toPublicView(position, ctx.now);
  }

  /** All or nothing (docs/domain/api-surface.md): every body is validated before anything is written. */
  async createMany(ctx: CallContext, inputs: readonly DebtPositionInput[], toPublish: boolean): Promise<void> {
    const positions = await this.#prepareNew(ctx, inputs, toPublish, { bulk: true });
    // Duplicates inside one payload would otherwise surface half-way through the writes.
    const seen = new Map<string, number>();
    for (const [i, p] of positions.entries()) {
      const identifiers = [
        [`iupd:${p.iupd}`, `the IUPD ${p.iupd}`],
        ...p.paymentOption.flatMap((o) => [
          [`iuv:${o.iuv}`, `the IUV ${o.iuv}`],
          [`nav:${o.nav}`, `the notice number (NAV) ${o.nav}`],
        ]),
      ] as const;
      for (const [key, what] of identifiers) {
        const first = seen.get(key);
        if (first !== undefined) {
          throw new DomainError(
            "DEBT_POSITION_UNIQUE_VIOLATION",
            `${bulkItem(i, p.iupd)}${what} is already used by paymentPositions[${first}] of this request`,
          );
        }
        seen.set(key, i);
      }
    }
    // The same body (and toPublish) is the same bulk: a retry resumes it instead of colliding with it (ADR 0015).
    const bulkId = fingerprintOf({ organizationFiscalCode: ctx.organizationFiscalCode, inputs, toPublish });
    try {
      await this.#deps.repository.createMany(positions, { bulkId, now: ctx.now });
    } catch (e) {
      const i = e instanceof UniquenessViolation ? positions.findIndex((p) => p.iupd === e.iupd) : -1;
      throw i === -1 ? e : inBulk(i, positions[i]?.iupd ?? "", e);
    }
  }

  /** Finishes committed bulks and removes those not committed within `staleAfterMs` (a crash or an outage). */
  async recoverBulks(now: Date, staleAfterMs: number): Promise<BulkRecovery> {
    return this.#deps.repository.recoverBulks(new Date(now.getTime() - staleAfterMs));
  }

  /**
   * v2 bulk update, all or nothing: every body validated, every position read (404 when one is missing) and decided
   * (409 when one is not updatable) before anything is written; then the repository's replaceMany, which restores the
   * positions already written when one write fails. A lost race re-reads and re-decides the whole request.
   */
  async updateMany(ctx: CallContext, inputs: readonly DebtPositionInput[], toPublish: boolean): Promise<void> {
    assertDistinct(inputs.map((i) => i.iupd));
    for (const input of inputs) {
      this.#assertSegregation(
        ctx,
        input.iupd,
        input.paymentOption.map((o) => o.iuv),
      );
    }
    const registry = await this.#registryFor(ctx, inputs);
    for (const [i, input] of inputs.entries()) {
      try {
        validateInput(input, {
          operation: "update",
          now: ctx.now,
          organizationFiscalCode: ctx.organizationFiscalCode,
          registry: registry.lookup,
          taxonomy: this.#deps.taxonomy,
        });
      } catch (e) {
        throw inBulk(i, input.iupd, e);
      }
    }
    await this.#withRetry(async () => {
      const changes = [];
      for (const input of inputs) {
        const previous = await this.#load(ctx, input.iupd);
        const next = replaceDebtPosition(previous.value, input, {
          now: ctx.now,
          toPublish,
          auxDigit: registry.auxDigit,
        });
        changes.push({ previous, next });
      }
      await this.#deps.repository.replaceMany(changes);
    });
  }

  /** v2 bulk delete, all or nothing: every position read (404) and checked (409) before any is deleted. */
  async deleteMany(ctx: CallContext, iupds: readonly string[]): Promise<void> {
    assertDistinct(iupds);
    await this.#withRetry(async () => {
      const stored = [];
      for (const iupd of iupds) {
        const position = await this.#load(ctx, iupd);
        assertDeletable(position.value, ctx.now);
        stored.push(position);
      }
      await this.#deps.repository.deleteMany(stored);
    });
  }

  async get(ctx: CallContext, iupd: string): Promise<DebtPosition> {
    const stored = await this.#load(ctx, iupd);
    return toPublicView(stored.value, ctx.now);
  }

  async list(ctx: CallContext, request: ListCriteria): Promise<ListPage> {
    const page = await this.#deps.repository.list({
      ...request,
      organizationFiscalCode: ctx.organizationFiscalCode,
      segregationCodes: ctx.caller.segregationCodes,
      now: ctx.now,
    });
    // docs/domain/debt-positions.md#list: the options shown are those matching the due-date window and the caller's segregation codes.
    const items = page.items.map((p) => {
      const view = toPublicView(p, ctx.now);
      return {
        ...view,
        paymentOption: view.paymentOption.filter(
          (o) =>
            withinSegregation(ctx.caller, o.iuv) &&
            (request.dueDate === undefined || (o.dueDate >= request.dueDate.from && o.dueDate <= request.dueDate.to)),
        ),
      };
    });
    return { items, total: page.total, unreadable: page.unreadable };
  }

  async update(ctx: CallContext, iupd: string, input: DebtPositionInput, toPublish: boolean): Promise<DebtPosition> {
    if (input.iupd !== iupd) {
      // docs/domain/debt-positions.md#validation V13, wording (including its typo) kept for clients that match on it.
      throw new DomainError(
        "BAD_REQUEST",
        `IUPD mistmatch error: path variable IUPD [${iupd}] and request body IUPD [${input.iupd}] must be the same`,
      );
    }
    this.#assertSegregation(
      ctx,
      iupd,
      input.paymentOption.map((o) => o.iuv),
    );
    const registry = await this.#registryFor(ctx, [input]);
    validateInput(input, {
      operation: "update",
      now: ctx.now,
      organizationFiscalCode: ctx.organizationFiscalCode,
      registry: registry.lookup,
      taxonomy: this.#deps.taxonomy,
      auxDigit: registry.auxDigit,
    });
    const saved = await this.#change(ctx, iupd, (existing) =>
      replaceDebtPosition(existing, input, { now: ctx.now, toPublish, auxDigit: registry.auxDigit }),
    );
    return toPublicView(saved, ctx.now);
  }

  async delete(ctx: CallContext, iupd: string): Promise<void> {
    await this.#withRetry(async () => {
      const stored = await this.#load(ctx, iupd);
      assertDeletable(stored.value, ctx.now);
      await this.#deps.repository.delete(stored);
    });
  }

  async publish(ctx: CallContext, iupd: string): Promise<DebtPosition> {
    return toPublicView(await this.#change(ctx, iupd, (p) => publishDebtPosition(p, ctx.now)), ctx.now);
  }

  async invalidate(ctx: CallContext, iupd: string): Promise<DebtPosition> {
    return toPublicView(await this.#change(ctx, iupd, (p) => invalidateDebtPosition(p, ctx.now)), ctx.now);
  }

  async #prepareNew(
    ctx: CallContext,
    inputs: readonly DebtPositionInput[],
    toPublish: boolean,
    { bulk = false }: { bulk?: boolean } = {},
  ): Promise<DebtPosition[]> {
    for (const input of inputs)
      this.#assertSegregation(
        ctx,
        input.iupd,
        input.paymentOption.map((o) => o.iuv),
      );
    const registry = await this.#registryFor(ctx, inputs);
    return inputs.map((input, i) => {
      try {
        validateInput(input, {
          operation: "create",
          now: ctx.now,
          organizationFiscalCode: ctx.organizationFiscalCode,
          registry: registry.lookup,
          taxonomy: this.#deps.taxonomy,
          auxDigit: registry.auxDigit,
        });
      } catch (e) {
        throw bulk ? inBulk(i, input.iupd, e) : e;
      }
      const position = createDebtPosition(input, {
        organizationFiscalCode: ctx.organizationFiscalCode,
        auxDigit: registry.auxDigit,
        now: ctx.now,
        toPublish,
      });
      return { ...position, creationFingerprint: fingerprintOf({ input, toPublish }) };
    });
  }

  /** One read of every organization the transfers pay (the EC and any other beneficiary). */
  async #registryFor(
    ctx: CallContext,
    inputs: readonly DebtPositionInput[],
  ): Promise<{ lookup: IbanRegistryLookup; auxDigit: string }> {
    const beneficiaries = new Set([ctx.organizationFiscalCode]);
    for (const input of inputs) {
      for (const option of input.paymentOption) {
        for (const transfer of option.transfer) {
          if (transfer.organizationFiscalCode !== undefined) beneficiaries.add(transfer.organizationFiscalCode);
        }
      }
    }
    const found = await this.#deps.organizations.findMany([...beneficiaries]);
    return {
      lookup: (fiscalCode) => found.get(fiscalCode),
      auxDigit: found.get(ctx.organizationFiscalCode)?.auxDigit ?? "3",
    };
  }

  #assertSegregation(ctx: CallContext, iupd: string, iuvs: readonly string[]): void {
    if (!iuvs.every((iuv) => withinSegregation(ctx.caller, iuv))) throw forbidden(ctx.organizationFiscalCode, iupd);
  }

  async #load(ctx: CallContext, iupd: string): Promise<Versioned<DebtPosition>> {
    const stored = await this.#deps.repository.get(ctx.organizationFiscalCode, iupd);
    if (stored === undefined) throw notFound(ctx.organizationFiscalCode, iupd);
    this.#assertSegregation(
      ctx,
      iupd,
      stored.value.paymentOption.map((o) => o.iuv),
    );
    return stored;
  }

  /** Read, decide, write if unchanged; on a lost race decide again on what the winner left. */
  async #change(
    ctx: CallContext,
    iupd: string,
    decide: (existing: DebtPosition) => DebtPosition,
  ): Promise<DebtPosition> {
    return this.#withRetry(async () => {
      const stored = await this.#load(ctx, iupd);
      const next = decide(stored.value);
      await this.#deps.repository.replace(stored, next);
      return next;
    });
  }

  #withRetry<T>(attempt: () => Promise<T>): Promise<T> {
    return retryLostRaces(attempt, this.#maxAttempts);
  }
}
