// The events GPD tells organizations about (docs/adr/0040-events-outbox.md, 0041-event-content.md): what changed in
// a debt position's persisted state, decided without I/O from the state before and after one write. The repository
// writes the events in the same transactional batch as the change, so an event exists exactly when its change does.
import {
  segregationCodeOf,
  type DebtPosition,
  type DebtPositionStatus,
  type PaymentOption,
} from "../debt-positions/model";

export const eventTypes = [
  "debt-position.created",
  "debt-position.updated",
  "debt-position.published",
  "debt-position.valid",
  "debt-position.invalidated",
  "debt-position.expired",
  "debt-position.deleted",
  "debt-position.partially-paid",
  "debt-position.paid",
  "debt-position.reported",
  "debt-position.reconciled",
  "receipt.created",
] as const;
export type EventType = (typeof eventTypes)[number];

export const isEventType = (value: string): value is EventType => (eventTypes as readonly string[]).includes(value);

export interface TransferData {
  idTransfer: string;
  /** The beneficiary organization of this transfer. */
  organizationFiscalCode: string;
  amount: number;
  status: string;
  idFlowReporting?: string | undefined;
}

export interface PaymentOptionData {
  iuv: string;
  nav: string;
  amount: number;
  fee: number;
  notificationFee: number;
  isPartialPayment: boolean;
  dueDate: string;
  status: string;
  paymentDate?: string | undefined;
  reportingDate?: string | undefined;
  receiptId?: string | undefined;
  /** When the flow that reported the option was matched to a bank credit, and that credit's reference. */
  reconciledDate?: string | undefined;
  reconciliationRef?: string | undefined;
  transfers: TransferData[];
}

/** `data` of every debt-position.* event: the position's identity and status, and the options the change touched. */
export interface DebtPositionEventData {
  organizationFiscalCode: string;
  iupd: string;
  status: DebtPositionStatus;
  previousStatus?: DebtPositionStatus | undefined;
  paymentOptions: PaymentOptionData[];
}

/** `data` of receipt.created: which option a receipt paid and how much; never who paid. */
export interface ReceiptEventData {
  organizationFiscalCode: string;
  iupd: string;
  iuv: string;
  nav: string;
  receiptId: string;
  amount: number;
  fee: number;
  paymentDate?: string | undefined;
  paymentMethod?: string | undefined;
  pspCompany?: string | undefined;
}

export interface EventDraft {
  type: EventType;
  data: DebtPositionEventData | ReceiptEventData;
}

/** A CloudEvents 1.0 event as GPD stores, delivers and lists it (structured JSON mode). */
export interface GpdEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: EventType;
  time: string;
  subject: string;
  datacontenttype: "application/json";
  data: DebtPositionEventData | ReceiptEventData;
}

/** The CloudEvents `source` of an organization's events: a URI-reference, unique per organization. */
export const eventSource = (organizationFiscalCode: string): string =>
  `/organizations/${organizationFiscalCode}/debtpositions`;

const transferData = (t: PaymentOption["transfer"][number]): TransferData => ({
  idTransfer: t.idTransfer,
  organizationFiscalCode: t.organizationFiscalCode,
  amount: t.amount,
  status: t.status,
  idFlowReporting: t.idFlowReporting,
});

export const paymentOptionData = (o: PaymentOption): PaymentOptionData => ({
  iuv: o.iuv,
  nav: o.nav,
  amount: o.amount,
  fee: o.fee,
  notificationFee: o.notificationFee,
  isPartialPayment: o.isPartialPayment,
  dueDate: o.dueDate,
  status: o.status,
  paymentDate: o.paymentDate,
  reportingDate: o.reportingDate,
  receiptId: o.idReceipt,
  reconciledDate: o.reconciledDate,
  reconciliationRef: o.reconciliationRef,
  transfers: o.transfer.map(transferData),
});

const positionData = (
  position: DebtPosition,
  previousStatus: DebtPositionStatus | undefined,
  options: readonly PaymentOption[],
): DebtPositionEventData => ({
  organizationFiscalCode: position.organizationFiscalCode,
  iupd: position.iupd,
  status: position.status,
  previousStatus,
  paymentOptions: options.map(paymentOptionData),
});

/** The fields a status change, a payment or a report rewrites; what is left is what an EC can edit. */
function editableContent(position: DebtPosition, ignoreValidity: boolean): string {
  const option = (o: PaymentOption) => ({
    iuv: o.iuv,
    nav: o.nav,
    amount: o.amount,
    description: o.description,
    isPartialPayment: o.isPartialPayment,
    dueDate: o.dueDate,
    retentionDate: o.retentionDate,
    validityDate: ignoreValidity ? undefined : o.validityDate,
    switchToExpired: o.switchToExpired,
    notificationFee: o.notificationFee,
    paymentOptionMetadata: o.paymentOptionMetadata,
    transfer: o.transfer.map((t) => ({
      ...t,
      status: undefined,
      idFlowReporting: undefined,
      lastUpdatedDate: undefined,
    })),
  });
  return JSON.stringify({
    ...position,
    status: undefined,
    validityDate: ignoreValidity ? undefined : position.validityDate,
    publishDate: undefined,
    paymentDate: undefined,
    reconciledDate: undefined,
    lastUpdatedDate: undefined,
    paymentOption: position.paymentOption.map(option),
  });
}

/** The events of reaching `status` from `previous` (undefined: the position is new). */
function statusEvents(previous: DebtPositionStatus | undefined, status: DebtPositionStatus): EventType[] {
  switch (status) {
    case "PUBLISHED":
      return ["debt-position.published"];
    // Publishing a position whose validity already began makes it VALID at once: both facts are events.
    case "VALID":
      return previous === "PUBLISHED" ? ["debt-position.valid"] : ["debt-position.published", "debt-position.valid"];
    case "INVALID":
      return ["debt-position.invalidated"];
    case "EXPIRED":
      return ["debt-position.expired"];
    case "DRAFT":
    case "PARTIALLY_PAID":
    case "PAID":
    case "REPORTED":
      // Payments and reports are told by the options they touch (below), not by the status alone.
      return [];
  }
}

const receiptData = (position: DebtPosition, o: PaymentOption): ReceiptEventData => ({
  organizationFiscalCode: position.organizationFiscalCode,
  iupd: position.iupd,
  iuv: o.iuv,
  nav: o.nav,
  receiptId: o.idReceipt ?? "",
  amount: o.amount,
  fee: o.fee,
  paymentDate: o.paymentDate,
  paymentMethod: o.paymentMethod,
  pspCompany: o.pspCompany,
});

/**
 * The events of one write, in the order they happened: `previous` undefined is a creation, `next` undefined a
 * deletion. A write that changes nothing an organization can observe produces no event.
 */
export function eventsOfChange(previous: DebtPosition | undefined, next: DebtPosition | undefined): EventDraft[] {
  if (next === undefined) {
    if (previous === undefined) return [];
    return [
      {
        type: "debt-position.deleted",
        data: positionData(previous, previous.status, previous.paymentOption),
      },
    ];
  }
  if (previous === undefined) {
    const data = positionData(next, undefined, next.paymentOption);
    return [
      { type: "debt-position.created", data },
      ...statusEvents(undefined, next.status).map((type) => ({ type, data })),
    ];
  }
  const events: EventDraft[] = [];
  const all = positionData(next, previous.status, next.paymentOption);
  const published = previous.publishDate !== next.publishDate;
  const edited =
    editableContent(previous, published) !== editableContent(next, published) ||
    (next.status === "DRAFT" && previous.status !== "DRAFT");
  if (edited) events.push({ type: "debt-position.updated", data: all });
  if (next.status !== previous.status) {
    events.push(...statusEvents(previous.status, next.status).map((type) => ({ type, data: all })));
  }

  const before = new Map(previous.paymentOption.map((o) => [o.iuv, o]));
  const newlyPaid = next.paymentOption.filter(
    (o) => o.status !== "PO_UNPAID" && (before.get(o.iuv)?.status ?? "PO_UNPAID") === "PO_UNPAID",
  );
  if (newlyPaid.length > 0 && (next.status === "PAID" || next.status === "PARTIALLY_PAID")) {
    events.push({
      type: next.status === "PAID" ? "debt-position.paid" : "debt-position.partially-paid",
      data: positionData(next, previous.status, newlyPaid),
    });
    events.push(...newlyPaid.map((o) => ({ type: "receipt.created" as const, data: receiptData(next, o) })));
  }

  const reportedBefore = new Set(
    previous.paymentOption.flatMap((o) =>
      o.transfer.filter((t) => t.status === "T_REPORTED").map((t) => `${o.iuv}/${t.idTransfer}`),
    ),
  );
  const newlyReported = next.paymentOption.filter((o) =>
    o.transfer.some((t) => t.status === "T_REPORTED" && !reportedBefore.has(`${o.iuv}/${t.idTransfer}`)),
  );
  if (newlyReported.length > 0) {
    events.push({ type: "debt-position.reported", data: positionData(next, previous.status, newlyReported) });
  }

  // Matched to a bank credit (or to another credit of a new statement): the options whose reconciliation changed.
  const newlyReconciled = next.paymentOption.filter(
    (o) =>
      o.reconciledDate !== undefined &&
      (before.get(o.iuv)?.reconciledDate !== o.reconciledDate ||
        before.get(o.iuv)?.reconciliationRef !== o.reconciliationRef),
  );
  if (newlyReconciled.length > 0) {
    events.push({ type: "debt-position.reconciled", data: positionData(next, previous.status, newlyReconciled) });
  }
  return events;
}

/** The segregation codes an event is about: a key limited to some codes sees only events about its IUVs. */
export function segregationCodesOf(data: DebtPositionEventData | ReceiptEventData): string[] {
  const iuvs = "paymentOptions" in data ? data.paymentOptions.map((o) => o.iuv) : [data.iuv];
  return [...new Set(iuvs.map(segregationCodeOf))];
}
