// What a reader of one payment option sees (GET …/paymentoptions/{nav}, verify): the option with its position's
// effective status, the option's own expiry, and the options hidden because they cannot be paid (docs/adr/0026:
// the same rules hide options from the lookup by NAV and from verify). Pure: nothing here is persisted.
import { DomainError } from "../errors";
import { effectiveStatus, hasProgressed, isPassed, isReached } from "./effective-status";
import type { DebtPosition, DebtPositionStatus, PaymentOption } from "./model";
import { canPayOption } from "./payment-plans";

export interface PaymentOptionLookup {
  position: DebtPosition;
  option: PaymentOption;
  /** The position's effective status, EXPIRED when this very option is past due and may expire. */
  debtPositionStatus: DebtPositionStatus;
}

export const paymentOptionNotFound = (org: string, nav: string) =>
  new DomainError(
    "PAYMENT_OPTION_NOT_FOUND",
    `Not found a payment option for Organization Fiscal Code ${org} and NAV ${nav}`,
  );

/** The option a notice number names; an IUV is accepted too (the internal API document accepts either). */
export const optionByNavOrIuv = (position: DebtPosition, navOrIuv: string): PaymentOption | undefined =>
  position.paymentOption.find((o) => o.nav === navOrIuv) ?? position.paymentOption.find((o) => o.iuv === navOrIuv);

/** An unpaid option past its due date whose position lets options expire (docs/adr/0026). */
export const isOptionExpired = (position: DebtPosition, option: PaymentOption, status: DebtPositionStatus, now: Date) =>
  (status === "VALID" || status === "PARTIALLY_PAID") &&
  option.status === "PO_UNPAID" &&
  option.switchToExpired &&
  isPassed(option.dueDate, now);

/**
 * The option named by `navOrIuv` as a reader sees it at `now`. Not found (404) when no option has that NAV or IUV,
 * when its validity has not begun yet, or when it cannot be paid because another plan of the position progressed.
 */
export function lookUpPaymentOption(position: DebtPosition, navOrIuv: string, now: Date): PaymentOptionLookup {
  const option = optionByNavOrIuv(position, navOrIuv);
  // Built only when thrown: an error captures a stack trace, which every successful lookup would pay for.
  const notFound = () => paymentOptionNotFound(position.organizationFiscalCode, navOrIuv);
  if (option === undefined) throw notFound();
  if (option.validityDate !== undefined && !isReached(option.validityDate, now)) throw notFound();
  if (!hasProgressed(option) && position.paymentOption.some(hasProgressed) && !canPayOption(position, option.iuv)) {
    throw notFound();
  }
  const status = effectiveStatus(position, now);
  return {
    position,
    option,
    debtPositionStatus: isOptionExpired(position, option, status, now) ? "EXPIRED" : status,
  };
}
