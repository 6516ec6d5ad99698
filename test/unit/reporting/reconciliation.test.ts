// The reconciliation rules (shared/domain/reporting/reconciliation.ts) and what a revision or a credit does to a
// position (shared/domain/reporting/revisions.ts), without I/O.
import type { DebtPosition } from "../../../shared/domain/debt-positions/model";
import { reportTransfer } from "../../../shared/domain/debt-positions/payments";
import {
  fdr3AmountCents,
  Fdr3Rejection,
  RevisionTally,
  type Fdr3Flow,
  type Fdr3Payment,
} from "../../../shared/domain/reporting/fdr3";
import type { CreditRecord, FlowRecord } from "../../../shared/domain/reporting/ports";
import {
  addBusinessDays,
  flowIdInRemittance,
  reconcileRow,
  reconciliationOf,
} from "../../../shared/domain/reporting/reconciliation";
import { reconcileFlowOnPosition, unreportTransfer } from "../../../shared/domain/reporting/revisions";
import { aDebtPosition, aPaymentOption, aTransfer } from "../../support/builders";

const flow = "2026-03-1288888888888-0000001";

describe("flowIdInRemittance", () => {
  test.each<[string[], string | undefined]>([
    [[`/PUR/LGPE-RIVERSAMENTO/URI/${flow}`], flow],
    [[`RIVERSAMENTO /PUR/LGPE-RIVERSAMENTO/URI/${flow} DEL 12/03`], flow],
    [[`/PUR/LGPE-RIVERSAMENTO/URI/2026-03-12888888`, `88888-0000001`], flow],
    [[`/pur/lgpe-riversamento/uri/${flow}`], flow],
    [[flow], flow],
    [[` ${flow} `], flow],
    [["RATA TARI 2026"], undefined],
    [["2026-03-12"], undefined],
    [[], undefined],
  ])("%j → %s", (texts, expected) => {
    expect(flowIdInRemittance(texts)).toBe(expected);
  });
});

describe("addBusinessDays", () => {
  test.each([
    ["2026-03-12", 2, "2026-03-16"], // Thursday → Monday
    ["2026-03-13", 1, "2026-03-16"], // Friday → Monday
    ["2026-03-14", 1, "2026-03-16"], // Saturday → Monday
    ["2026-03-16", 0, "2026-03-16"],
  ])("%s + %d = %s", (date, n, expected) => {
    expect(addBusinessDays(date, n)).toBe(expected);
  });
});

const aFlowRecord = (overrides: Partial<FlowRecord> = {}): FlowRecord => ({
  organization: "77777777777",
  flowId: flow,
  source: "FDR3",
  flowDate: "2026-03-12",
  flowDateTime: "2026-03-12T07:00:00.000Z",
  pspId: "88888888888",
  appliedRevision: 1,
  revisions: [],
  totalPayments: 2,
  totalAmountCents: 15_000,
  updatedAt: "2026-03-12T08:00:00.000Z",
  ...overrides,
});
const aCredit = (amountCents: number, entryRef: string, bookingDate = "2026-03-13"): CreditRecord => ({
  organization: "77777777777",
  id: entryRef,
  statementId: "S",
  entryRef,
  bookingDate,
  amountCents,
  flowId: flow,
  remittance: "",
  receivedAt: "2026-03-14T00:00:00.000Z",
});

describe("reconcileRow", () => {
  it("RECONCILED when the credits add up to the total, by their sum when split", () => {
    expect(reconcileRow(aFlowRecord(), [aCredit(15_000, "A")], "2026-03-20", 2).status).toBe("RECONCILED");
    expect(reconcileRow(aFlowRecord(), [aCredit(10_000, "A"), aCredit(5_000, "B")], "2026-03-20", 2)).toMatchObject({
      status: "RECONCILED",
      creditedCents: 15_000,
      expectedCents: 15_000,
    });
  });
  it("AMOUNT_MISMATCH when they add up to something else", () => {
    expect(reconcileRow(aFlowRecord(), [aCredit(14_999, "A")], "2026-03-20", 2).status).toBe("AMOUNT_MISMATCH");
  });
  it("FLOW_NOT_CREDITED after the grace period, AWAITING_CREDIT within it", () => {
    expect(reconcileRow(aFlowRecord(), [], "2026-03-16", 2).status).toBe("AWAITING_CREDIT");
    expect(reconcileRow(aFlowRecord(), [], "2026-03-17", 2).status).toBe("FLOW_NOT_CREDITED");
  });
});

describe("reconciliationOf", () => {
  it("takes the latest booking date and every reference of a split credit", () => {
    expect(reconciliationOf(aFlowRecord(), [aCredit(5_000, "B", "2026-03-16"), aCredit(10_000, "A")])).toEqual({
      reconciledDate: "2026-03-16T00:00:00.000Z",
      reference: "A+B",
    });
    expect(reconciliationOf(aFlowRecord(), [aCredit(1, "A")])).toBeUndefined();
    expect(reconciliationOf(aFlowRecord(), [])).toBeUndefined();
  });
});

/** A PAID single-option position with two transfers, both reported by `flow`. */
function aReportedPosition(): DebtPosition {
  const option = aPaymentOption({
    iuv: "01000000000000001",
    amount: 300,
    status: "PO_PAID",
    transfer: [aTransfer({ idTransfer: "1", amount: 100 }), aTransfer({ idTransfer: "2", amount: 200 })],
  });
  let p: DebtPosition = aDebtPosition({ status: "PAID", paymentOption: [option] });
  for (const t of ["1", "2"]) {
    const r = reportTransfer(
      p,
      "01000000000000001",
      t,
      { idFlowReporting: flow, reportingDate: "2026-03-12T07:00:00.000Z" },
      new Date(),
    );
    if (r.outcome !== "reported") throw new Error("not reported");
    p = r.position;
  }
  return p;
}

describe("unreportTransfer", () => {
  const now = new Date("2026-03-20T00:00:00Z");
  it("puts a transfer of this flow back to unreported and recomputes option and position", () => {
    const p = aReportedPosition();
    expect(p.status).toBe("REPORTED");
    const one = unreportTransfer(p, "01000000000000001", "2", flow, now);
    if (one.outcome !== "unreported") throw new Error("expected unreported");
    expect(one.position.status).toBe("PAID");
    expect(one.position.paymentOption[0]).toMatchObject({ status: "PO_PARTIALLY_REPORTED", idFlowReporting: flow });
    const both = unreportTransfer(one.position, "01000000000000001", "1", flow, now);
    if (both.outcome !== "unreported") throw new Error("expected unreported");
    expect(both.position.paymentOption[0]).toMatchObject({
      status: "PO_PAID",
      idFlowReporting: undefined,
      reportingDate: undefined,
    });
  });
  it("leaves alone a transfer another flow reported, or one not reported", () => {
    const p = aReportedPosition();
    expect(unreportTransfer(p, "01000000000000001", "1", "another-flow", now).outcome).toBe("untouched");
    expect(unreportTransfer(p, "01000000000000009", "1", flow, now).outcome).toBe("untouched");
  });
});

describe("reconcileFlowOnPosition", () => {
  const rec = { reconciledDate: "2026-03-13T00:00:00.000Z", reference: "R1" };
  it("marks the options this flow reported and the REPORTED position; a second time changes nothing", () => {
    const p = aReportedPosition();
    const next = reconcileFlowOnPosition(p, flow, rec, new Date());
    expect(next?.reconciledDate).toBe(rec.reconciledDate);
    expect(next?.paymentOption[0]).toMatchObject({ reconciledDate: rec.reconciledDate, reconciliationRef: "R1" });
    expect(reconcileFlowOnPosition(next!, flow, rec, new Date())).toBeUndefined();
    expect(reconcileFlowOnPosition(p, "another-flow", rec, new Date())).toBeUndefined();
  });
  it("clears the reconciliation when a revision un-reports the option", () => {
    const reconciled = reconcileFlowOnPosition(aReportedPosition(), flow, rec, new Date())!;
    let p = reconciled;
    for (const t of ["1", "2"]) {
      const r = unreportTransfer(p, "01000000000000001", t, flow, new Date());
      if (r.outcome === "unreported") p = r.position;
    }
    expect(p.reconciledDate).toBeUndefined();
    expect(p.paymentOption[0]!.reconciledDate).toBeUndefined();
  });
});

describe("FdR-3 amounts and totals", () => {
  test.each([
    [0.01, 1],
    [123.45, 12_345],
    [6.5, 650],
    [100, 10_000],
    [0.1 + 0.2 === 0.3 ? 0.3 : 0.3, 30],
  ])("%d euros → %d cents", (euros, cents) => {
    expect(fdr3AmountCents(euros, "x")).toBe(cents);
  });
  test.each([0.001, 1e21, -1, Number.NaN])("refuses %d", (euros) => {
    expect(() => fdr3AmountCents(euros, "x")).toThrow(Fdr3Rejection);
  });

  const flowOf = (tot: number, sum: number): Fdr3Flow => ({
    fdr: flow,
    revision: 1,
    status: "PUBLISHED",
    fdrDate: "2026-03-12T07:00:00.000Z",
    regulation: "SEPA",
    regulationDate: "2026-03-12",
    pspId: "88888888888",
    organizationId: "77777777777",
    totPayments: tot,
    sumPaymentsCents: sum,
  });
  const payment = (index: number, payCents: number): Fdr3Payment => ({
    index,
    iuv: `IUV${index}`,
    iur: "IUR",
    idTransfer: 1,
    payCents,
    payStatus: "EXECUTED",
    payDate: "2026-03-12T07:00:00.000Z",
  });
  it("checks count, sum and the order of indexes", () => {
    const tally = new RevisionTally();
    tally.add(payment(1, 100));
    tally.add(payment(2, 50));
    expect(() => {
      tally.check(flowOf(2, 150));
    }).not.toThrow();
    expect(() => {
      tally.check(flowOf(3, 150));
    }).toThrow(/count|totPayments/);
    expect(() => {
      tally.check(flowOf(2, 151));
    }).toThrow(/sumPayments/);
    expect(() => {
      tally.add(payment(2, 1));
    }).toThrow(/increasing/);
  });
});
