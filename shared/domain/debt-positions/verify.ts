// Verify payment options (POST /payment-options/organizations/{fc}/notices/{nav}, orgs_payment_options.json): the
// payment options of the position a notice belongs to, one group per payment plan, each with a status the payer's
// app can show (docs/adr/0026). Pure; the errors are the service's ODP codes.
import { effectiveStatus, hasProgressed, isPassed, minValidityDate } from "./effective-status";
import type { DebtPosition, Instant, PaymentOption } from "./model";
import { paymentPlans } from "./payment-plans";

export type GroupStatus =
  "PO_UNPAID" | "PO_PAID" | "PO_PARTIALLY_PAID" | "PO_EXPIRED_NOT_PAYABLE" | "PO_EXPIRED_UNPAID" | "PO_INVALID";
export type InstallmentStatus =
  "POI_UNPAID" | "POI_PAID" | "POI_EXPIRED_NOT_PAYABLE" | "POI_EXPIRED_UNPAID" | "POI_INVALID";

export interface InstallmentView {
  nav: string;
  iuv: string;
  amount: number;
  description?: string | undefined;
  dueDate: Instant;
  validFrom?: Instant | undefined;
  status: InstallmentStatus;
  statusReason: string;
}

export interface PaymentOptionGroup {
  description?: string | undefined;
  numberOfInstallments: number;
  amount: number;
  dueDate: Instant;
  validFrom?: Instant | undefined;
  status: GroupStatus;
  statusReason: string;
  allCCP: boolean;
  installments: InstallmentView[];
}

export interface VerifiedPaymentOptions {
  organizationFiscalCode: string;
  companyName: string;
  officeName?: string | undefined;
  standIn: boolean;
  paymentOptions: PaymentOptionGroup[];
}

/** Why a notice cannot be verified; the service maps each to its ODP code. */
export type VerifyRefusal = "unknown-notice" | "not-yet-valid";

export type VerifyResult = { ok: true; value: VerifiedPaymentOptions } | { ok: false; refusal: VerifyRefusal };

const latest = (instants: readonly Instant[]): Instant =>
  instants.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

const earliest = (instants: readonly (Instant | undefined)[]): Instant | undefined =>
  instants.reduce<Instant | undefined>(
    (a, b) => (b !== undefined && (a === undefined || Date.parse(b) < Date.parse(a)) ? b : a),
    undefined,
  );

const installmentStatus = (
  option: PaymentOption,
  invalid: boolean,
  now: Date,
): { status: InstallmentStatus; statusReason: string } => {
  if (hasProgressed(option)) return { status: "POI_PAID", statusReason: "paid" };
  if (invalid) return { status: "POI_INVALID", statusReason: "not payable" };
  if (isPassed(option.dueDate, now)) {
    return option.switchToExpired
      ? { status: "POI_EXPIRED_NOT_PAYABLE", statusReason: "past its due date, no longer payable" }
      : { status: "POI_EXPIRED_UNPAID", statusReason: "past its due date, still payable" };
  }
  return { status: "POI_UNPAID", statusReason: "payable" };
};

/**
 * The groups of the position at `now`. A DRAFT position (never published) is unknown to payers, as is one whose
 * validity has not begun; an INVALID or EXPIRED one shows every option as not payable; once a plan has progressed
 * the other plans are not payable.
 */
export function verifyPaymentOptions(position: DebtPosition, now: Date): VerifyResult {
  const status = effectiveStatus(position, now);
  if (status === "DRAFT") return { ok: false, refusal: "unknown-notice" };
  if (status === "PUBLISHED") return { ok: false, refusal: "not-yet-valid" };
  const positionInvalid = status === "INVALID" || status === "EXPIRED";
  const plans = paymentPlans(position);
  const progressedPlan = plans.find((p) => p.options.some(hasProgressed));
  const groups = plans.map((plan): PaymentOptionGroup => {
    const invalid = positionInvalid || (progressedPlan !== undefined && progressedPlan !== plan);
    const installments = plan.options.map((o): InstallmentView => ({
      nav: o.nav,
      iuv: o.iuv,
      amount: o.amount,
      description: o.description,
      dueDate: o.dueDate,
      validFrom: o.validityDate ?? minValidityDate(position),
      ...installmentStatus(o, invalid, now),
    }));
    const paid = plan.options.filter(hasProgressed).length;
    const expired = installments.filter((i) => i.status.startsWith("POI_EXPIRED"));
    let groupStatus: { status: GroupStatus; statusReason: string };
    if (paid === plan.options.length) groupStatus = { status: "PO_PAID", statusReason: "paid" };
    else if (paid > 0)
      groupStatus = {
        status: "PO_PARTIALLY_PAID",
        statusReason: `${paid} of ${plan.options.length} installments paid`,
      };
    else if (invalid) {
      groupStatus = {
        status: "PO_INVALID",
        statusReason: positionInvalid ? `the debt position is ${status}` : "another payment option was chosen",
      };
    } else if (expired.length > 0) {
      groupStatus = expired.some((i) => i.status === "POI_EXPIRED_NOT_PAYABLE")
        ? { status: "PO_EXPIRED_NOT_PAYABLE", statusReason: "past its due date, no longer payable" }
        : { status: "PO_EXPIRED_UNPAID", statusReason: "past its due date, still payable" };
    } else groupStatus = { status: "PO_UNPAID", statusReason: "payable" };
    const first = plan.options[0];
    return {
      description: first?.description,
      numberOfInstallments: plan.options.length,
      amount: plan.options.reduce((sum, o) => sum + o.amount, 0),
      dueDate: latest(plan.options.map((o) => o.dueDate)),
      validFrom: earliest(installments.map((i) => i.validFrom)),
      ...groupStatus,
      allCCP: plan.options.every((o) => o.transfer.every((t) => t.postalIban !== undefined)),
      installments,
    };
  });
  groups.sort((a, b) => Date.parse(a.dueDate) - Date.parse(b.dueDate));
  return {
    ok: true,
    value: {
      organizationFiscalCode: position.organizationFiscalCode,
      companyName: position.companyName,
      officeName: position.officeName,
      standIn: position.payStandIn,
      paymentOptions: groups,
    },
  };
}
