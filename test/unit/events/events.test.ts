import { Webhook as StandardWebhook } from "standardwebhooks";
import { feedOrder } from "../../../shared/adapters/cosmos/cosmos-event-log";
import { outboxOf, type EventDocument } from "../../../shared/adapters/cosmos/event-document";
import {
  createDebtPosition,
  invalidateDebtPosition,
  publishDebtPosition,
  validateDebtPosition,
} from "../../../shared/domain/debt-positions/lifecycle";
import { payPaymentOption, reportTransfer } from "../../../shared/domain/debt-positions/payments";
import type { DebtPosition } from "../../../shared/domain/debt-positions/model";
import { eventsOfChange, type DebtPositionEventData } from "../../../shared/domain/events/events";
import { reconcileFlowOnPosition } from "../../../shared/domain/reporting/revisions";
import { generateSecret, secretPrefix, sign } from "../../../shared/domain/events/signing";
import { aDebtPosition, aDebtPositionInput, aPaymentOption } from "../../support/builders";

const t0 = new Date("2026-11-30T10:00:00.000Z");
const later = (s: number) => new Date(t0.getTime() + s * 1000);
const types = (previous: DebtPosition | undefined, next: DebtPosition | undefined) =>
  eventsOfChange(previous, next).map((e) => e.type);

const draft = () =>
  createDebtPosition(aDebtPositionInput(), {
    organizationFiscalCode: "77777777777",
    auxDigit: "3",
    now: t0,
    toPublish: false,
  });
const payment = (id: string) => ({
  paymentDate: later(60).toISOString(),
  paymentMethod: "CP",
  pspCode: "PSP01",
  pspTaxCode: "12345678901",
  pspCompany: "PSP S.p.A.",
  idReceipt: id,
  fee: 100,
});

describe("eventsOfChange", () => {
  it("tells a creation, and what a creation published", () => {
    expect(types(undefined, draft())).toEqual(["debt-position.created"]);
    const valid = createDebtPosition(aDebtPositionInput(), {
      organizationFiscalCode: "77777777777",
      auxDigit: "3",
      now: t0,
      toPublish: true,
    });
    expect(valid.status).toBe("VALID");
    expect(types(undefined, valid)).toEqual([
      "debt-position.created",
      "debt-position.published",
      "debt-position.valid",
    ]);
  });

  it("tells each status change of the lifecycle", () => {
    const d = draft();
    const published = publishDebtPosition(d, later(1));
    expect(types(d, published)).toEqual(
      published.status === "VALID" ? ["debt-position.published", "debt-position.valid"] : ["debt-position.published"],
    );
    const pub = { ...published, status: "PUBLISHED" as const, validityDate: later(2).toISOString() };
    expect(types(pub, validateDebtPosition(pub, later(3)))).toEqual(["debt-position.valid"]);
    const valid = { ...pub, status: "VALID" as const };
    expect(types(valid, invalidateDebtPosition(valid, later(4)))).toEqual(["debt-position.invalidated"]);
    expect(types(valid, { ...valid, status: "EXPIRED", lastUpdatedDate: later(10).toISOString() })).toEqual([
      "debt-position.expired",
    ]);
    expect(types(valid, undefined)).toEqual(["debt-position.deleted"]);
  });

  it("tells an edit as updated, and a write that changes nothing as nothing", () => {
    const d = draft();
    const edited = { ...d, companyName: "Altro Comune", lastUpdatedDate: later(1).toISOString() };
    expect(types(d, edited)).toEqual(["debt-position.updated"]);
    expect(types(d, { ...d, lastUpdatedDate: later(1).toISOString() })).toEqual([]);
  });

  it("tells a payment as paid then receipt.created, naming only the option paid and no debtor data", () => {
    const valid = aDebtPosition({ status: "VALID" });
    const paid = payPaymentOption(valid, { iuv: "01000000000000001" }, payment("R-1"), later(60));
    if (paid.outcome !== "paid") throw new Error(paid.outcome);
    const events = eventsOfChange(valid, paid.position);
    expect(events.map((e) => e.type)).toEqual(["debt-position.paid", "receipt.created"]);
    expect(events[1]?.data).toMatchObject({ iuv: "01000000000000001", receiptId: "R-1", amount: 10000, fee: 100 });
    const text = JSON.stringify(events);
    for (const personal of [
      valid.fiscalCode,
      valid.fullName,
      "TARI 2026",
      valid.paymentOption[0]?.transfer[0]?.iban ?? "-",
    ]) {
      expect(text).not.toContain(personal);
    }
  });

  it("tells a plan's first installment as partially-paid, and a report as reported", () => {
    const plan = aDebtPosition({
      status: "VALID",
      paymentOption: [
        aPaymentOption({ iuv: "01000000000000001", isPartialPayment: true }),
        aPaymentOption({ iuv: "01000000000000002", isPartialPayment: true }),
      ],
    });
    const first = payPaymentOption(plan, { iuv: "01000000000000001" }, payment("R-1"), later(60));
    if (first.outcome !== "paid") throw new Error(first.outcome);
    const events = eventsOfChange(plan, first.position);
    expect(events.map((e) => e.type)).toEqual(["debt-position.partially-paid", "receipt.created"]);
    expect((events[0]?.data as DebtPositionEventData).paymentOptions.map((o) => o.iuv)).toEqual(["01000000000000001"]);

    const reported = reportTransfer(
      first.position,
      "01000000000000001",
      "1",
      { idFlowReporting: "F1", reportingDate: later(90).toISOString() },
      later(90),
    );
    if (reported.outcome !== "reported") throw new Error(reported.outcome);
    expect(types(first.position, reported.position)).toEqual(["debt-position.reported"]);
  });

  it("tells a reconciliation with the treasury as reconciled (not as an edit), once per credit", () => {
    const position = aDebtPosition({ status: "VALID" });
    const paid = payPaymentOption(position, { iuv: "01000000000000001" }, payment("R-1"), later(60));
    if (paid.outcome !== "paid") throw new Error(paid.outcome);
    const reported = reportTransfer(
      paid.position,
      "01000000000000001",
      "1",
      { idFlowReporting: "F1", reportingDate: later(90).toISOString() },
      later(90),
    );
    if (reported.outcome !== "reported") throw new Error(reported.outcome);
    const credit = { reconciledDate: "2026-03-13T00:00:00.000Z", reference: "BANK-REF-1" };
    const reconciled = reconcileFlowOnPosition(reported.position, "F1", credit, later(120));
    if (reconciled === undefined) throw new Error("nothing reconciled");
    const events = eventsOfChange(reported.position, reconciled);
    expect(events.map((e) => e.type)).toEqual(["debt-position.reconciled"]);
    expect((events[0]?.data as DebtPositionEventData).paymentOptions).toMatchObject([
      { iuv: "01000000000000001", reconciledDate: credit.reconciledDate, reconciliationRef: "BANK-REF-1" },
    ]);
    // The same statement again changes nothing, so nothing is told.
    expect(reconcileFlowOnPosition(reconciled, "F1", credit, later(150))).toBeUndefined();
  });
});

describe("outboxOf", () => {
  it("puts all of one write's events in one document, last in the batch, ordered after the version it replaces", () => {
    const previous = {
      value: aDebtPosition({ status: "VALID", lastUpdatedDate: later(100).toISOString() }),
      etag: "e",
      revision: later(100).getTime(),
    };
    const paid = payPaymentOption(previous.value, { iuv: "01000000000000001" }, payment("R-1"), later(50));
    if (paid.outcome !== "paid") throw new Error(paid.outcome);
    // The writer's clock (50) is behind the version it replaces (100): its revision still comes after.
    const outbox = outboxOf(previous, paid.position, later(50));
    expect(outbox.revision).toBe(later(100).getTime() + 1);
    expect(outbox.operations).toHaveLength(1);
    const doc = (outbox.operations[0] as unknown as { resourceBody: EventDocument }).resourceBody;
    expect(doc).toMatchObject({ kind: "events", pending: true, iupd: "IUPD-0001", segregationCodes: ["01"] });
    expect(doc.events.map((e) => [e.type, e.subject, e.source])).toEqual([
      ["debt-position.paid", "IUPD-0001", "/organizations/77777777777/debtpositions"],
      ["receipt.created", "IUPD-0001", "/organizations/77777777777/debtpositions"],
    ]);
    expect(new Set(doc.events.map((e) => e.id)).size).toBe(2);
    expect(
      outboxOf(previous, { ...previous.value, lastUpdatedDate: later(200).toISOString() }, later(200)).operations,
    ).toEqual([]);
  });
});

describe("feedOrder", () => {
  const doc = (iupd: string, time: number, revision: number): EventDocument => ({
    id: `events:${iupd}-${revision}`,
    kind: "events",
    organizationFiscalCode: "77777777777",
    iupd,
    revision,
    time: later(time).toISOString(),
    segregationCodes: [],
    pending: true,
    events: [],
  });

  it("orders by time, but a position's documents always by revision", () => {
    // B-2 was written by a writer whose clock said 1 although it replaced B-1 (revision 5): B-1 must come first.
    const ordered = feedOrder([doc("A", 3, 3), doc("B", 1, 6), doc("B", 2, 5), doc("C", 0, 0)]);
    expect(ordered.map((d) => `${d.iupd}${d.revision}`)).toEqual(["C0", "B5", "B6", "A3"]);
  });
});

describe("Standard Webhooks signatures", () => {
  it("are accepted by the independent standardwebhooks verifier, and refused once the body changes", () => {
    const secret = generateSecret();
    expect(secret.startsWith(secretPrefix)).toBe(true);
    expect(Buffer.from(secret.slice(secretPrefix.length), "base64")).toHaveLength(32);
    const body = JSON.stringify({ id: "e1", type: "debt-position.paid", data: { amount: 1 } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = sign(secret, "e1", timestamp, body);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verifier = new StandardWebhook(secret);
    expect(verifier.verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => verifier.verify(body.replace("1}", "2}"), { ...headers })).toThrow();
    expect(() => new StandardWebhook(generateSecret()).verify(body, { ...headers })).toThrow();
  });
});
