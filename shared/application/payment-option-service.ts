// The everyday operations around one payment option: lookups by notice number and IUV, verify, paying (internal
// pay, paid outside pagoPA), reporting one transfer, and replacing an IBAN across the organization's positions.
// Paying and reporting call the receipts' and the reporting flows' own use cases, so an option paid through the API
// is decided exactly as one paid by a receipt.
import { DomainError } from "../domain/errors";
import { effectiveStatus } from "../domain/debt-positions/effective-status";
import {
  changeIbanOnPosition,
  checkIbanChange,
  IBAN_CHANGE_MAX_LIMIT,
  type IbanChange,
} from "../domain/debt-positions/iban-change";
import { toPublicView } from "../domain/debt-positions/lifecycle";
import {
  toIso,
  type DebtPosition,
  type DebtPositionStatus,
  type PaymentOption,
  type Transfer,
} from "../domain/debt-positions/model";
import { lookUpPaymentOption, type PaymentOptionLookup } from "../domain/debt-positions/payment-option-lookup";
import type { Payment } from "../domain/debt-positions/payments";
import type { DebtPositionRepository, UnreadableDocument, Versioned } from "../domain/debt-positions/ports";
import { verifyPaymentOptions, type VerifyRefusal, type VerifiedPaymentOptions } from "../domain/debt-positions/verify";
import type { OrganizationRepository } from "../domain/organizations/organization";
import { withinSegregation } from "../domain/subscriptions/subscription";
import { reportTransferDirectly } from "./flow-ingestion";
import { retryLostRaces } from "./lost-races";
import { payPaymentOptionDirectly } from "./receipt-ingestion";
import type { CallContext } from "./call-context";

/** What marks an option paid outside pagoPA (docs/adr/0026): receipt id and PSP name both say so. */
export const CLOSED_AS_ALREADY_PAID_BY_EC = "CLOSED_AS_ALREADY_PAID_BY_EC";

/** Statuses in which an organization may close an option as paid outside pagoPA; otherwise 422. */
const payableOutsideStatuses: readonly DebtPositionStatus[] = ["VALID", "PARTIALLY_PAID"];

export type VerifyOutcome =
  | { ok: true; value: VerifiedPaymentOptions }
  | { ok: false; refusal: VerifyRefusal | "unknown-organization" | "forbidden" };

const navForbidden = (org: string) =>
  new DomainError(
    "DEBT_POSITION_FORBIDDEN",
    `The caller does not have proper authorization to access or modify the NAVs in the payment position. [Organization Fiscal Code=${org}]`,
  );

const iuvForbidden = (org: string, iupd: string) =>
  new DomainError(
    "DEBT_POSITION_FORBIDDEN",
    `The caller does not have proper authorization to access or modify the IUVs in the payment position. [Organization Fiscal Code=${org}, IUPD=${iupd}]`,
  );

export interface IbanChangeResult {
  updatedTransfers: number;
  /** Stored positions that could not be read and were skipped (docs/adr/0065); the caller logs them. */
  unreadable?: UnreadableDocument[];
}

export class PaymentOptionService {
  readonly #positions: DebtPositionRepository;
  readonly #organizations: OrganizationRepository;
  readonly #maxAttempts: number;
  readonly #ibanPageSize: number;

  constructor(deps: {
    positions: DebtPositionRepository;
    organizations: OrganizationRepository;
    maxAttempts?: number;
    /** Positions read per query page while changing an IBAN (default 100). */
    ibanPageSize?: number;
  }) {
    this.#positions = deps.positions;
    this.#organizations = deps.organizations;
    this.#maxAttempts = deps.maxAttempts ?? 3;
    this.#ibanPageSize = deps.ibanPageSize ?? 100;
  }

  /** GET …/paymentoptions/{nav}: claim + position, two point reads (a third when the caller sent an IUV). */
  async getByNav(ctx: CallContext, nav: string): Promise<PaymentOptionLookup> {
    const stored = await this.#findByNavOrIuv(ctx, nav);
    const found = lookUpPaymentOption(stored.value, nav, ctx.now);
    if (!withinSegregation(ctx.caller, found.option.iuv)) throw navForbidden(ctx.organizationFiscalCode);
    return { ...found, position: toPublicView(found.position, ctx.now) };
  }

  /** GET …/paymentoptions/{iuv}/debtposition: the segregation code is the IUV's, checked before the lookup. */
  async getPositionByIuv(ctx: CallContext, iuv: string): Promise<DebtPosition> {
    const org = ctx.organizationFiscalCode;
    if (!withinSegregation(ctx.caller, iuv)) throw iuvForbidden(org, "unknown");
    const stored = await this.#positions.findByPaymentReference(org, { iuv });
    if (stored === undefined) {
      throw new DomainError(
        "DEBT_POSITION_NOT_FOUND",
        `Not found a debt position for Organization Fiscal Code ${org} and IUV ${iuv}`,
      );
    }
    return toPublicView(stored.value, ctx.now);
  }

  /** POST …/paymentoptions/paids/{nav}: the organization was paid outside pagoPA. */
  async markPaidOutsidePagoPa(
    ctx: CallContext,
    nav: string,
    paymentDate: string | undefined,
  ): Promise<{ position: DebtPosition; option: PaymentOption }> {
    return this.#pay(
      ctx,
      nav,
      {
        paymentDate: paymentDate ?? toIso(ctx.now),
        pspCompany: CLOSED_AS_ALREADY_PAID_BY_EC,
        idReceipt: CLOSED_AS_ALREADY_PAID_BY_EC,
        fee: 0,
      },
      (position, option) => {
        const status = effectiveStatus(position, ctx.now);
        // An option already paid is a 409, whatever the position's status became.
        if (option.status !== "PO_UNPAID" || status === "PAID" || status === "REPORTED") return;
        if (!payableOutsideStatuses.includes(status)) {
          throw new DomainError(
            "PAYMENT_OPTION_NOT_PAYABLE",
            `The payment option with Organization Fiscal Code ${ctx.organizationFiscalCode} and NAV ${option.nav} is not in payable state: the debt position is ${status}`,
          );
        }
      },
    );
  }

  /** POST …/paymentoptions/{nav}/pay (product internal): pagoPA's services report a payment. */
  async pay(
    ctx: CallContext,
    nav: string,
    payment: Payment,
  ): Promise<{ position: DebtPosition; option: PaymentOption }> {
    return this.#pay(ctx, nav, payment);
  }

  /** POST …/paymentoptions/{iuv}/transfers/{transferid}/report (product internal). */
  async report(ctx: CallContext, iuv: string, idTransfer: string): Promise<Transfer> {
    const org = ctx.organizationFiscalCode;
    const { transfer } = await reportTransferDirectly(
      { positions: this.#positions, maxAttempts: this.#maxAttempts },
      {
        organizationFiscalCode: org,
        iuv,
        idTransfer,
        now: ctx.now,
        check: (position) => {
          if (!withinSegregation(ctx.caller, iuv)) throw iuvForbidden(org, position.iupd);
        },
      },
    );
    return transfer;
  }

  /** POST /payment-options/organizations/{fc}/notices/{nav}: the refusals become ODP codes in the handler. */
  async verify(ctx: CallContext, nav: string): Promise<VerifyOutcome> {
    const org = ctx.organizationFiscalCode;
    if ((await this.#organizations.find(org)) === undefined) return { ok: false, refusal: "unknown-organization" };
    const stored =
      (await this.#positions.findByPaymentReference(org, { nav })) ??
      (await this.#positions.findByPaymentReference(org, { iuv: nav }));
    if (stored === undefined) return { ok: false, refusal: "unknown-notice" };
    if (!stored.value.paymentOption.every((o) => withinSegregation(ctx.caller, o.iuv))) {
      return { ok: false, refusal: "forbidden" };
    }
    return verifyPaymentOptions(stored.value, ctx.now);
  }

  /**
   * PATCH …/debtpositions/transfers?oldIban&limit: replaces the IBAN on at most `limit` transfers, position by
   * position, each write conditional on its ETag (a lost race re-reads and re-decides that position). Calling again
   * continues with what is left: changed transfers drop out of the index the query reads.
   */
  async changeIban(
    ctx: CallContext,
    request: { oldIban: string; newIban: string; limit?: number | undefined },
  ): Promise<IbanChangeResult> {
    const org = ctx.organizationFiscalCode;
    const limit = Math.min(request.limit ?? IBAN_CHANGE_MAX_LIMIT, IBAN_CHANGE_MAX_LIMIT);
    const change = checkIbanChange(request, await this.#organizations.find(org));
    let updated = 0;
    const unreadable: UnreadableDocument[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.#positions.findByChangeableIban(org, change.oldIban, this.#ibanPageSize, continuation);
      unreadable.push(...(page.unreadable ?? []));
      for (const candidate of page.items) {
        if (updated >= limit) break;
        if (!candidate.value.paymentOption.every((o) => withinSegregation(ctx.caller, o.iuv))) continue;
        updated += await this.#changeIbanOn(candidate, change, limit - updated, ctx.now);
      }
      continuation = page.continuation;
    } while (updated < limit && continuation !== undefined);
    return { updatedTransfers: updated, ...(unreadable.length > 0 ? { unreadable } : {}) };
  }

  async #changeIbanOn(
    candidate: Versioned<DebtPosition>,
    change: IbanChange,
    limit: number,
    now: Date,
  ): Promise<number> {
    return retryLostRaces(async (attempt) => {
      const stored =
        attempt === 1
          ? candidate
          : await this.#positions.get(candidate.value.organizationFiscalCode, candidate.value.iupd);
      if (stored === undefined) return 0;
      const { next, updatedTransfers } = changeIbanOnPosition(stored.value, change, limit, now);
      if (next === undefined) return 0;
      await this.#positions.replace(stored, next);
      return updatedTransfers;
    }, this.#maxAttempts);
  }

  async #pay(
    ctx: CallContext,
    nav: string,
    payment: Payment,
    check?: (position: DebtPosition, option: PaymentOption) => void,
  ): Promise<{ position: DebtPosition; option: PaymentOption }> {
    const org = ctx.organizationFiscalCode;
    const paid = await payPaymentOptionDirectly(
      { positions: this.#positions, maxAttempts: this.#maxAttempts },
      {
        organizationFiscalCode: org,
        nav,
        payment,
        now: ctx.now,
        check: (position, option) => {
          if (!withinSegregation(ctx.caller, option.iuv)) throw navForbidden(org);
          check?.(position, option);
        },
      },
    );
    return { position: toPublicView(paid.position, ctx.now), option: paid.option };
  }

  async #findByNavOrIuv(ctx: CallContext, nav: string): Promise<Versioned<DebtPosition>> {
    const org = ctx.organizationFiscalCode;
    const stored =
      (await this.#positions.findByPaymentReference(org, { nav })) ??
      (await this.#positions.findByPaymentReference(org, { iuv: nav }));
    if (stored === undefined) {
      throw new DomainError(
        "PAYMENT_OPTION_NOT_FOUND",
        `Not found a payment option for Organization Fiscal Code ${org} and NAV ${nav}`,
      );
    }
    return stored;
  }
}
