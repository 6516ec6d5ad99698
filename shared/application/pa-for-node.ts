// The use cases behind the paForNode SOAP service (docs/adr/0020-pa-for-node.md): verify and get a payment by notice
// number, and receive a receipt. Every answer is a NodeResult — a fault is a value, not an exception — and anything
// unexpected (a store outage, a bug) becomes PAA_SYSTEM_ERROR, logged, so the node retries instead of seeing a 500.
//
// Receipts (docs/adr/0021-pa-for-node-receipt-durability.md): the request is first parked in `receipts-inbox` under
// a name derived from its receiptId — from then on it cannot be lost — and then applied by the same use case the
// inbox job runs (applyReceipt). Applied: the parked file is removed, OK. Refused: the file moves to
// `receipts-rejected` with the reason, and the node gets the matching fault. A transient failure while applying
// leaves the file where the ingestReceipts job finishes it, and the node gets OK: the receipt is durable and in the
// retry path. Only when it cannot even be parked does the node get PAA_SYSTEM_ERROR and send it again.
import { createHash } from "node:crypto";
import type { DebtPositionRepository } from "../domain/debt-positions/ports";
import { isDomainError } from "../domain/errors";
import { nodeFault, type NodeFault, type NodeFaultCode } from "../domain/node/faults";
import { checkCaller, findPayableOption, type NodeCallerIds } from "../domain/node/payable-option";
import { paymentView, verifyView } from "../domain/node/payment-views";
import type { Organization, OrganizationRepository } from "../domain/organizations/organization";
import type { Receipt } from "../domain/receipts/receipt";
import type { Logger } from "../logging/logger";
import type { NodeRequest, NodeResult } from "../soap/pa-for-node-xml";
import type { Inbox } from "./inbox";
import { applyReceipt, type ReceiptApplyDeps } from "./receipt-ingestion";

/** Where receipts wait until applied: the receipt inbox (BlobInbox), which the ingestReceipts job drains. */
export type ReceiptParking = Pick<Inbox, "remove" | "reject"> & { put(name: string, bytes: Buffer): Promise<void> };

export interface PaForNodeDeps {
  organizations: OrganizationRepository;
  positions: DebtPositionRepository;
  receipts: ReceiptApplyDeps;
  parking: ReceiptParking;
  clock: () => Date;
}

const fault = (code: NodeFaultCode, organizationFiscalCode: string, detail?: string): NodeResult => ({
  kind: "fault",
  fault: nodeFault(code, organizationFiscalCode, detail),
});

/**
 * The fault for a receipt the apply step refused; its reason starts with the refusal's kind. Kinds not listed here
 * (rules added later) are PAA_SEMANTICA: the receipt is well-formed but GPD does not accept it.
 */
export function faultOfRefusal(organizationFiscalCode: string, reason: string): NodeFault {
  const kind = reason.slice(0, Math.max(0, reason.indexOf(":")));
  const code: NodeFaultCode =
    kind === "unknown-position" || kind === "unknown-payment-option"
      ? "PAA_PAGAMENTO_SCONOSCIUTO"
      : kind === "PAYMENT_OPTION_ALREADY_PAID" || kind === "receipt-conflict"
        ? "PAA_RECEIPT_DUPLICATA"
        : "PAA_SEMANTICA";
  return nodeFault(code, organizationFiscalCode, reason);
}

/** The parked file of a receipt: one per receiptId, so the same receipt sent again lands on the same name. */
export function parkingNameOf(receipt: Receipt): string {
  const id = encodeURIComponent(receipt.receiptId);
  const key = id.length <= 200 ? id : createHash("sha256").update(receipt.receiptId, "utf8").digest("hex");
  return `node/${receipt.organizationFiscalCode}/${key}.xml`;
}

export class PaForNodeService {
  readonly #deps: PaForNodeDeps;

  constructor(deps: PaForNodeDeps) {
    this.#deps = deps;
  }

  /** `bytes` is the request as received: a receipt is stored exactly so. Never throws. */
  async answer(request: NodeRequest, bytes: Buffer, log: Logger): Promise<NodeResult> {
    try {
      const callerFault = await this.#checkCaller(request.ids);
      if (callerFault !== undefined) return { kind: "fault", fault: callerFault };
      switch (request.operation) {
        case "paVerifyPaymentNotice":
        case "paGetPayment":
        case "paGetPaymentV2":
          return await this.#lookup(request);
        case "paSendRT":
        case "paSendRTV2":
          return await this.#receive(request.receipt, bytes, log);
      }
    } catch (e) {
      log.error(`${request.operation} failed: ${describe(e)}`);
      // A stored position that no longer parses is a system error too, but one that a retry does not cure
      // (docs/adr/0065-unreadable-stored-positions.md): say so instead of inviting the node to try again.
      if (isDomainError(e) && e.code === "DEBT_POSITION_UNREADABLE") {
        return fault("PAA_SYSTEM_ERROR", request.ids.idPA, "the debt position of this notice cannot be read by GPD");
      }
      return fault("PAA_SYSTEM_ERROR", request.ids.idPA, "GPD could not complete the request; try again");
    }
  }

  async #checkCaller(ids: NodeCallerIds): Promise<NodeFault | undefined> {
    return checkCaller(await this.#deps.organizations.find(ids.idPA), ids);
  }

  async #lookup(request: Extract<NodeRequest, { qrCode: unknown }>): Promise<NodeResult> {
    const { qrCode, ids } = request;
    // The station answers for its own organization's notices only.
    if (qrCode.fiscalCode !== ids.idPA) {
      return fault("PAA_ID_DOMINIO_ERRATO", ids.idPA, `the notice belongs to ${qrCode.fiscalCode}, not to ${ids.idPA}`);
    }
    const stored = await this.#deps.positions.findByPaymentReference(qrCode.fiscalCode, { nav: qrCode.noticeNumber });
    const found = findPayableOption(stored?.value, qrCode.fiscalCode, qrCode.noticeNumber, this.#deps.clock());
    if (!found.ok) return { kind: "fault", fault: found.fault };
    if (request.operation === "paVerifyPaymentNotice") {
      return { kind: "verified", view: verifyView(found.position, found.option) };
    }
    const version = request.operation === "paGetPaymentV2" ? 2 : 1;
    const others = found.option.transfer
      .filter((t) => t.companyName === undefined && t.organizationFiscalCode !== found.position.organizationFiscalCode)
      .map((t) => t.organizationFiscalCode);
    // Names of other beneficiaries come from the registry (cached); only V2 prints them.
    const registered =
      version === 2 && others.length > 0
        ? await this.#deps.organizations.findMany(others)
        : new Map<string, Organization>();
    const beneficiaryNames = new Map([...registered].map(([code, org]) => [code, org.companyName] as const));
    const built = paymentView(found.position, found.option, {
      version,
      transferType: request.transferType,
      beneficiaryNames,
    });
    return built.ok ? { kind: "payment", view: built.view } : { kind: "fault", fault: built.fault };
  }

  async #receive(receipt: Receipt, bytes: Buffer, log: Logger): Promise<NodeResult> {
    const org = receipt.organizationFiscalCode;
    const name = parkingNameOf(receipt);
    try {
      await this.#deps.parking.put(name, bytes);
    } catch (e) {
      log.error(`receipt ${receipt.receiptId} could not be stored: ${describe(e)}`);
      return fault("PAA_SYSTEM_ERROR", org, "the receipt could not be stored; send it again");
    }
    let outcome: Awaited<ReturnType<typeof applyReceipt>>;
    try {
      outcome = await applyReceipt(this.#deps.receipts, receipt, bytes);
    } catch (e) {
      log.warn(`receipt ${receipt.receiptId} stored as ${name}, not applied yet (ingestReceipts will): ${describe(e)}`);
      return { kind: "received" };
    }
    if (outcome.accepted) {
      // A file left behind is harmless: the inbox job finds the receipt already applied and removes it.
      await this.#deps.parking.remove(name).catch((e: unknown) => {
        log.warn(`could not remove ${name}: ${describe(e)}`);
      });
      return { kind: "received" };
    }
    await this.#deps.parking.reject(name, outcome.reason, bytes).catch((e: unknown) => {
      log.warn(`could not move ${name} to the rejected receipts: ${describe(e)}`);
    });
    return { kind: "fault", fault: faultOfRefusal(org, outcome.reason) };
  }
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.cause instanceof Error ? `${e.message} (cause: ${e.cause.message})` : e.message;
}
