// Payment plans and the position status derived from its options (docs/domain/statuses.md#derived).
import { hasProgressed } from "./effective-status";
import { toIso, type DebtPosition, type DebtPositionStatus, type Instant, type PaymentOption } from "./model";

/**
 * A plan is one way of paying the whole position: a single option (isPartialPayment=false), or the installments.
 * v1 has one installment plan per position (one shared paymentPlanId, docs/domain/statuses.md#derived), so every
 * isPartialPayment=true option belongs to it.
 */
export type PaymentPlan =
  | { readonly kind: "single"; readonly id: string; readonly options: readonly PaymentOption[] }
  | { readonly kind: "installments"; readonly id: "INSTALLMENTS"; readonly options: readonly PaymentOption[] };

export const paymentPlans = (position: DebtPosition): PaymentPlan[] => {
  const singles: PaymentPlan[] = position.paymentOption
    .filter((o) => !o.isPartialPayment)
    .map((o) => ({ kind: "single", id: `SINGLE:${o.iuv}`, options: [o] }));
  const installments = position.paymentOption.filter((o) => o.isPartialPayment);
  return installments.length > 0
    ? [...singles, { kind: "installments", id: "INSTALLMENTS", options: installments }]
    : singles;
};

export const planOf = (position: DebtPosition, iuv: string): PaymentPlan | undefined =>
  paymentPlans(position).find((plan) => plan.options.some((o) => o.iuv === iuv));

const isPaidOrReported = (o: PaymentOption): boolean => hasProgressed(o);
const isReported = (o: PaymentOption): boolean => o.status === "PO_REPORTED";

/** The plan that settles the position, and how (docs/domain/statuses.md#derived: REPORTED beats PAID). */
const settlingPlan = (
  position: DebtPosition,
): { readonly status: "REPORTED" | "PAID"; readonly plan: PaymentPlan } | undefined => {
  const plans = paymentPlans(position);
  const reported = plans.find((p) => p.options.every(isReported));
  if (reported) return { status: "REPORTED", plan: reported };
  const paid = plans.find((p) => p.options.every(isPaidOrReported));
  return paid ? { status: "PAID", plan: paid } : undefined;
};

/**
 * docs/domain/statuses.md#derived: REPORTED if a plan is fully reported; else PAID if a plan is fully paid-or-reported; else
 * PARTIALLY_PAID if any option progressed; else unchanged.
 */
export const deriveStatus = (position: DebtPosition): DebtPositionStatus => {
  const settled = settlingPlan(position);
  if (settled) return settled.status;
  return position.paymentOption.some(hasProgressed) ? "PARTIALLY_PAID" : position.status;
};

const latestInstant = (instants: readonly (Instant | undefined)[]): Instant | undefined =>
  instants.reduce<Instant | undefined>(
    (best, i) => (i !== undefined && (best === undefined || Date.parse(i) > Date.parse(best)) ? i : best),
    undefined,
  );

/**
 * The position with its derived status (new object). `paymentDate` is set when the position becomes PAID/REPORTED
 * (docs/domain/statuses.md#derived): the payment date of the option that completed the settling plan (its latest), falling back to
 * `now` only if the options carry none. An earlier paymentDate is kept (REPORTED after PAID keeps the PAID date).
 */
export const recomputeStatus = (position: DebtPosition, now: Date): DebtPosition => {
  const status = deriveStatus(position);
  const settled = settlingPlan(position);
  const paymentDate = settled
    ? (position.paymentDate ?? latestInstant(settled.plan.options.map((o) => o.paymentDate)) ?? toIso(now))
    : position.paymentDate;
  return { ...position, status, paymentDate, lastUpdatedDate: toIso(now) };
};

/**
 * The cross-payment guard (docs/domain/statuses.md#derived): paying a single option while any sibling has progressed, or an
 * installment while a single option or an installment of another plan has progressed, is refused (the reference
 * answers 404 PAYMENT_OPTION_NOT_FOUND: the option is hidden from verify too). An unknown IUV is not payable.
 */
export const canPayOption = (position: DebtPosition, iuv: string): boolean => {
  const plan = planOf(position, iuv);
  if (!plan) return false;
  const inPlan = new Set(plan.options.map((o) => o.iuv));
  const others = position.paymentOption.filter((o) => o.iuv !== iuv);
  return plan.kind === "single"
    ? !others.some(hasProgressed)
    : !others.some((o) => !inPlan.has(o.iuv) && hasProgressed(o));
};
