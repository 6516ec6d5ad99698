// The receipts API use cases (docs/domain/receipts.md#api): one page of the index, and the stored XML of
// one receipt. Segregation codes apply to both: the list shows only the caller's codes, the detail of an IUV outside
// them is 403 (docs/domain/receipts.md#api "The receipt retrieve is forbidden").
import { DomainError } from "../domain/errors";
import type { ReceiptListPage, ReceiptRepository, ReceiptStore } from "../domain/receipts/ports";
import { withinSegregation } from "../domain/subscriptions/subscription";
import type { CallContext } from "./call-context";

export interface ReceiptListCriteria {
  page: number;
  limit: number;
  debtor?: string | undefined;
  service?: string | undefined;
  /** Days (yyyy-MM-dd, UTC), both included. */
  from?: string | undefined;
  to?: string | undefined;
}

const DAY_MS = 86_400_000;

/** A day (already checked to be yyyy-MM-dd) as the instant it starts, UTC. */
const startOf = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

export class ReceiptService {
  readonly #receipts: ReceiptRepository;
  readonly #store: ReceiptStore;

  constructor(deps: { receipts: ReceiptRepository; store: ReceiptStore }) {
    this.#receipts = deps.receipts;
    this.#store = deps.store;
  }

  async list(ctx: CallContext, criteria: ReceiptListCriteria): Promise<ReceiptListPage> {
    if (criteria.from !== undefined && criteria.to !== undefined && criteria.from > criteria.to) {
      // docs/domain/receipts.md#api: from after to is a 400 ("Invalid date range").
      throw new DomainError("BAD_REQUEST", `Invalid date range: from ${criteria.from} is after to ${criteria.to}`);
    }
    return this.#receipts.list({
      organizationFiscalCode: ctx.organizationFiscalCode,
      page: criteria.page,
      limit: criteria.limit,
      debtor: criteria.debtor,
      service: criteria.service,
      paymentFrom: criteria.from === undefined ? undefined : startOf(criteria.from).toISOString(),
      // "to" names a whole day: everything before the next midnight (UTC, docs/domain/api-surface.md).
      paymentUntil:
        criteria.to === undefined ? undefined : new Date(startOf(criteria.to).getTime() + DAY_MS).toISOString(),
      segregationCodes: ctx.caller.segregationCodes,
    });
  }

  /** The receipt XML as received; one blob read, after the segregation check. */
  async get(ctx: CallContext, iuv: string): Promise<Buffer> {
    const org = ctx.organizationFiscalCode;
    if (!withinSegregation(ctx.caller, iuv)) {
      throw new DomainError(
        "RECEIPT_FORBIDDEN",
        `The caller does not have proper authorization to access the receipt [Organization Fiscal Code=${org}, IUV=${iuv}]`,
      );
    }
    const xml = await this.#store.get(org, iuv);
    if (xml === undefined) {
      throw new DomainError(
        "RECEIPT_NOT_FOUND",
        `Not found a receipt for Organization Fiscal Code ${org} and IUV ${iuv}`,
      );
    }
    return xml;
  }
}
