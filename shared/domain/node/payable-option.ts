// Which option the payment node may pay, decided without I/O. Two checks, in this order:
// 1. the caller: idPA must be a registered organization, idBrokerPA its broker, idStation one of its stations (the
//    node routes by these, so a mismatch is a misconfiguration on one side, never a payment question);
// 2. the option named by the notice number (NAV), with the faults in the order of docs/adr/0020-pa-for-node.md:
//    unknown NAV, DRAFT, or PUBLISHED whose validity has not begun → SCONOSCIUTO; effective status EXPIRED →
//    SCADUTO; INVALID → ANNULLATO; option paid, or position PAID/REPORTED → DUPLICATO; an option of another plan
//    once a plan has progressed (it cannot be paid any more, so the node must not offer it) → SCONOSCIUTO.
import { effectiveStatus } from "../debt-positions/effective-status";
import type { DebtPosition, PaymentOption } from "../debt-positions/model";
import { canPayOption } from "../debt-positions/payment-plans";
import type { Organization } from "../organizations/organization";
import { nodeFault, type NodeFault } from "./faults";

/** The three identifiers every paForNode request starts with. */
export interface NodeCallerIds {
  readonly idPA: string;
  readonly idBrokerPA: string;
  readonly idStation: string;
}

/** undefined when the organization, its broker and its station all match; the first mismatch otherwise. */
export function checkCaller(organization: Organization | undefined, ids: NodeCallerIds): NodeFault | undefined {
  if (organization === undefined) {
    return nodeFault("PAA_ID_DOMINIO_ERRATO", ids.idPA, `${ids.idPA} is not an organization of GPD`);
  }
  if (organization.brokerCode === undefined || organization.brokerCode !== ids.idBrokerPA) {
    return nodeFault(
      "PAA_ID_INTERMEDIARIO_ERRATO",
      ids.idPA,
      `${ids.idBrokerPA} is not the broker of organization ${ids.idPA}`,
    );
  }
  if (!organization.stationCodes.includes(ids.idStation)) {
    return nodeFault(
      "PAA_STAZIONE_INT_ERRATA",
      ids.idPA,
      `${ids.idStation} is not a station of organization ${ids.idPA}`,
    );
  }
  return undefined;
}

export type PayableLookup =
  | { readonly ok: true; readonly position: DebtPosition; readonly option: PaymentOption }
  | { readonly ok: false; readonly fault: NodeFault };

export function findPayableOption(
  position: DebtPosition | undefined,
  organizationFiscalCode: string,
  nav: string,
  now: Date,
): PayableLookup {
  const fail = (code: NodeFault["faultCode"], detail: string): PayableLookup => ({
    ok: false,
    fault: nodeFault(code, organizationFiscalCode, detail),
  });
  const option = position?.paymentOption.find((o) => o.nav === nav);
  if (position === undefined || option === undefined) {
    return fail("PAA_PAGAMENTO_SCONOSCIUTO", `no payment option with notice number ${nav}`);
  }
  const status = effectiveStatus(position, now);
  if (status === "DRAFT" || status === "PUBLISHED") {
    return fail("PAA_PAGAMENTO_SCONOSCIUTO", `notice number ${nav} is not payable yet`);
  }
  if (status === "EXPIRED") return fail("PAA_PAGAMENTO_SCADUTO", `notice number ${nav} has expired`);
  if (status === "INVALID") return fail("PAA_PAGAMENTO_ANNULLATO", `notice number ${nav} has been cancelled`);
  if (option.status !== "PO_UNPAID" || status === "PAID" || status === "REPORTED") {
    return fail("PAA_PAGAMENTO_DUPLICATO", `notice number ${nav} has already been paid`);
  }
  if (!canPayOption(position, option.iuv)) {
    return fail(
      "PAA_PAGAMENTO_SCONOSCIUTO",
      `notice number ${nav} belongs to a payment plan that can no longer be paid`,
    );
  }
  return { ok: true, position, option };
}
