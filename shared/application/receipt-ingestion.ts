// ingestReceipts (docs/domain/jobs.md, docs/adr/0008-receipts.md): every blob of `receipts-inbox` is one paSendRTV2Request (or paSendRTReq).
// Steps 2–6 are `applyReceipt`, which the paForNode SOAP service runs too for paSendRT/paSendRTV2
// (docs/adr/0021-pa-for-node-receipt-durability.md), so both paths settle an option identically. Per file, in this
// order (docs/adr/0008-receipts.md):
//   1. parse safely and validate against the XSD             → reject (XML or schema reason)
//   2. find the position by organization + IUV (or NAV)      → reject when unknown
//   3. decide (pure): pay / already applied / reject         → reject (amount mismatch, paid by another receipt…)
//   4. write the paid position, conditional on its ETag      → on a lost race: re-read and decide again
//   5. file the XML in Blob, only if absent                  → 409 with our own receiptId = done earlier
//   6. index it in Cosmos, only if absent                    → 409 with our own receiptId = done earlier
//   7. remove the file from the inbox (processInbox)
// Every step is idempotent and step 3 recognises a receipt that already paid its option, so a run that dies after
// any step is finished by the next run, and a re-delivered receipt changes nothing. The position goes first so that
// nothing is ever filed for a receipt that ends up rejected; a receipt is listed (6) only once its XML is readable (5).
import type { DebtPositionRepository, Versioned } from "../domain/debt-positions/ports";
import type { DebtPosition, PaymentOption } from "../domain/debt-positions/model";
import { payPaymentOption, type Payment } from "../domain/debt-positions/payments";
import { DomainError } from "../domain/errors";
import { isReceiptRejection, type Receipt } from "../domain/receipts/receipt";
import type { ReceiptRepository, ReceiptStore, ReceiptWrite } from "../domain/receipts/ports";
import { receiptEntryOf, settleReceipt } from "../domain/receipts/settlement";
import { DEFAULT_RECEIPT_MAX_BYTES, parseReceipt } from "../xml/receipt-xml";
import { isXmlRejection } from "../xml/safe-xml";
import type { Logger } from "../logging/logger";
import { retryLostRaces } from "./lost-races";
import { processInbox, type FileOutcome, type Inbox, type InboxSummary } from "./inbox";

export interface ReceiptIngestionDeps {
  inbox: Inbox;
  positions: DebtPositionRepository;
  receipts: ReceiptRepository;
  store: ReceiptStore;
  clock: () => Date;
  log: Logger;
  maxFileBytes?: number;
  /** How many times a position write that lost a race is decided again before the file is left for the next run. */
  maxAttempts?: number;
  /** Receipts handled at the same time (default 4). */
  concurrency?: number;
}

export async function ingestReceipts(deps: ReceiptIngestionDeps): Promise<InboxSummary> {
  const maxFileBytes = deps.maxFileBytes ?? DEFAULT_RECEIPT_MAX_BYTES;
  return processInbox(deps.inbox, (_name, bytes) => ingestReceipt(deps, bytes, maxFileBytes), {
    maxFileBytes,
    log: deps.log,
    // Receipts are small and mostly for different positions: a few at a time hide the store's latency; two for the
    // same plan race on its ETag and the loser decides again.
    concurrency: deps.concurrency ?? 4,
  });
}

const rejected = (reason: string): FileOutcome => ({ accepted: false, reason });

/** One inbox file: accepted once the position, the XML and the index entry all hold; throws on transient failures. */
export async function ingestReceipt(deps: ReceiptIngestionDeps, bytes: Buffer, maxBytes: number): Promise<FileOutcome> {
  let receipt: Receipt;
  try {
    receipt = parseReceipt(bytes, { maxBytes });
  } catch (e) {
    if (isXmlRejection(e)) return rejected(`xml-${e.reason}: ${e.message}`);
    if (isReceiptRejection(e)) return rejected(`receipt-${e.reason}: ${e.message}`);
    throw e;
  }
  return applyReceipt(deps, receipt, bytes);
}

/** What applying a receipt needs: the inbox job and the paForNode SOAP service (paSendRT/paSendRTV2) both call it. */
export type ReceiptApplyDeps = Pick<ReceiptIngestionDeps, "positions" | "receipts" | "store" | "clock" | "maxAttempts">;

/**
 * Steps 2–6 for a parsed receipt whose XML is `bytes`: accepted once the position, the XML and the index entry all
 * hold; a rejection's reason starts with its kind ("unknown-position: …"); throws on transient failures, after which
 * running it again finishes the work (every step is idempotent).
 */
export async function applyReceipt(deps: ReceiptApplyDeps, receipt: Receipt, bytes: Buffer): Promise<FileOutcome> {
  const now = deps.clock();
  const settled = await settlePosition(deps, receipt, now);
  if (!settled.accepted) return settled;

  const org = receipt.organizationFiscalCode;
  const stored = await deps.store.put(org, receipt.iuv, receipt.receiptId, bytes);
  if (stored.outcome === "conflict") return conflict("stored", receipt, stored);
  const indexed = await deps.receipts.add(
    receiptEntryOf(receipt, settled.option, deps.store.nameOf(org, receipt.iuv), now),
  );
  if (indexed.outcome === "conflict") return conflict("indexed", receipt, indexed);
  return { accepted: true, note: settled.note };
}

type Settled =
  { accepted: true; option: DebtPosition["paymentOption"][number]; note: string } | { accepted: false; reason: string };

async function settlePosition(deps: ReceiptApplyDeps, receipt: Receipt, now: Date): Promise<Settled> {
  // Receipts of one plan often arrive together: losers of a race decide again on what the winner wrote; after the
  // last attempt the error is thrown, the file stays in the inbox and the next run decides on fresh data.
  return retryLostRaces(async (): Promise<Settled> => {
    const stored = await findPosition(deps.positions, receipt);
    if (stored === undefined) {
      return {
        accepted: false,
        reason: `unknown-position: no debt position of ${receipt.organizationFiscalCode} has IUV ${receipt.iuv} or notice number ${receipt.noticeNumber}`,
      };
    }
    const decision = settleReceipt(stored.value, receipt, now);
    if (decision.outcome === "reject") return { accepted: false, reason: decision.reason };
    if (decision.outcome === "already-applied")
      return { accepted: true, option: decision.option, note: "already applied" };
    await deps.positions.replace(stored, decision.position);
    return { accepted: true, option: decision.option, note: `position ${decision.position.status}` };
  }, deps.maxAttempts ?? 8);
}

/** docs/domain/receipts.md: the receipt names its option by creditorReferenceId (IUV) and noticeNumber (NAV). */
async function findPosition(
  positions: DebtPositionRepository,
  receipt: Receipt,
): Promise<Versioned<DebtPosition> | undefined> {
  return (
    (await positions.findByPaymentReference(receipt.organizationFiscalCode, { iuv: receipt.iuv })) ??
    (await positions.findByPaymentReference(receipt.organizationFiscalCode, { nav: receipt.noticeNumber }))
  );
}

function conflict(
  what: "stored" | "indexed",
  receipt: Receipt,
  write: Extract<ReceiptWrite, { outcome: "conflict" }>,
): FileOutcome {
  return rejected(
    `receipt-conflict: another receipt (${write.storedReceiptId ?? "unknown id"}) is already ${what} for ${receipt.organizationFiscalCode} IUV ${receipt.iuv}`,
  );
}

// ---- the same payment outside the inbox ------------------------------------------------------------------------

export interface DirectPaymentDeps {
  positions: DebtPositionRepository;
  maxAttempts?: number;
}

export interface DirectPayment {
  organizationFiscalCode: string;
  /** The notice number; an IUV is accepted too (the internal API document accepts either). */
  nav: string;
  payment: Payment;
  now: Date;
  /** Runs on the position read before deciding (segregation codes, the caller's own state rules); throws to refuse. */
  check?: (position: DebtPosition, option: PaymentOption) => void;
}

/**
 * Pays one option the way a receipt does — the same lookup by NAV or IUV, the same decision (payPaymentOption), the
 * same conditional write re-decided after a lost race — for the API operations that pay without a receipt file
 * (internal pay, paid outside pagoPA). Unlike a re-delivered receipt, paying an option already paid is a 409.
 */
export async function payPaymentOptionDirectly(
  deps: DirectPaymentDeps,
  request: DirectPayment,
): Promise<{ position: DebtPosition; option: PaymentOption }> {
  const org = request.organizationFiscalCode;
  return retryLostRaces(async () => {
    const stored =
      (await deps.positions.findByPaymentReference(org, { nav: request.nav })) ??
      (await deps.positions.findByPaymentReference(org, { iuv: request.nav }));
    const option =
      stored?.value.paymentOption.find((o) => o.nav === request.nav) ??
      stored?.value.paymentOption.find((o) => o.iuv === request.nav);
    if (stored === undefined || option === undefined) {
      throw new DomainError(
        "PAYMENT_OPTION_NOT_FOUND",
        `Not found a payment option for Organization Fiscal Code ${org} and NAV ${request.nav}`,
      );
    }
    request.check?.(stored.value, option);
    const result = payPaymentOption(stored.value, { iuv: option.iuv }, request.payment, request.now);
    if (result.outcome === "refused") throw result.error;
    if (result.outcome === "already-paid-same-receipt") {
      throw new DomainError(
        "PAYMENT_OPTION_ALREADY_PAID",
        `A payment transaction has already been carried out for the Organization Fiscal Code ${org} and NAV ${option.nav}`,
      );
    }
    await deps.positions.replace(stored, result.position);
    return { position: result.position, option: result.option };
  }, deps.maxAttempts ?? 3);
}
