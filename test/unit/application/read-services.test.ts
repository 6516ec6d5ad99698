// The smaller use cases against typed in-memory ports: the notification fee (lookup by NAV then IUV, segregation,
// lost races), the receipts API (date window, segregation, not found) and the flows API (order, not found).
import { FlowService } from "../../../shared/application/flow-service";
import { NotificationFeeService } from "../../../shared/application/notification-fee";
import { ReceiptService } from "../../../shared/application/receipt-service";
import type { Caller } from "../../../shared/domain/subscriptions/subscription";
import { aDebtPosition, anOrganizationFiscalCode, aPaymentOption, aTransfer } from "../../support/builders";
import {
  InMemoryDebtPositionRepository,
  InMemoryFlowStore,
  InMemoryReceiptRepository,
  InMemoryReceiptStore,
} from "../../support/fakes";

const org = anOrganizationFiscalCode;
const now = new Date("2026-06-01T10:00:00.000Z");
const caller = (overrides: Partial<Caller> = {}): Caller => ({
  subscriptionName: "test",
  organizations: [org],
  products: ["notification-fee", "receipts", "reporting"],
  ...overrides,
});

describe("NotificationFeeService", () => {
  async function setup() {
    const positions = new InMemoryDebtPositionRepository();
    const option = aPaymentOption({
      iuv: "01000000000000001",
      nav: "301000000000000001",
      amount: 10000,
      transfer: [aTransfer({ amount: 10000 })],
    });
    await positions.create(aDebtPosition({ organizationFiscalCode: org, status: "VALID", paymentOption: [option] }));
    return { positions, service: new NotificationFeeService({ positions }) };
  }

  it("finds the option by NAV, adds the fee to its amount and stores it", async () => {
    const { positions, service } = await setup();
    const option = await service.update(
      { organizationFiscalCode: org, caller: caller(), now },
      "301000000000000001",
      150,
    );
    expect(option).toMatchObject({ notificationFee: 150, amount: 10150 });
    expect(positions.all()[0]?.paymentOption[0]?.amount).toBe(10150);
  });

  it("also finds it by IUV, for callers that only know the IUV", async () => {
    const { service } = await setup();
    const option = await service.update(
      { organizationFiscalCode: org, caller: caller(), now },
      "01000000000000001",
      90,
    );
    expect(option.notificationFee).toBe(90);
  });

  it("answers not found for an unknown notice and forbidden outside the caller's segregation codes", async () => {
    const { service } = await setup();
    await expect(
      service.update({ organizationFiscalCode: org, caller: caller(), now }, "399999999999999999", 1),
    ).rejects.toMatchObject({ code: "PAYMENT_OPTION_NOT_FOUND" });
    await expect(
      service.update(
        { organizationFiscalCode: org, caller: caller({ segregationCodes: ["02"] }), now },
        "301000000000000001",
        1,
      ),
    ).rejects.toMatchObject({ code: "DEBT_POSITION_FORBIDDEN" });
  });

  it("re-reads and applies the fee again when the position changed between read and write", async () => {
    const { positions, service } = await setup();
    const [stored] = positions.all();
    positions.beforeNextWrite = () => {
      positions.touch(org, stored?.iupd ?? "", (p) => ({ ...p, companyName: "renamed meanwhile" }));
    };
    await service.update({ organizationFiscalCode: org, caller: caller(), now }, "301000000000000001", 200);
    expect(positions.all()[0]).toMatchObject({ companyName: "renamed meanwhile" });
    expect(positions.all()[0]?.paymentOption[0]?.notificationFee).toBe(200);
  });
});

describe("ReceiptService", () => {
  const setup = () => {
    const receipts = new InMemoryReceiptRepository();
    const store = new InMemoryReceiptStore();
    return { receipts, store, service: new ReceiptService({ receipts, store }) };
  };

  it("turns a day window into [start of from, start of the day after to) in UTC, with the caller's codes", async () => {
    const { receipts, service } = setup();
    await service.list(
      { organizationFiscalCode: org, caller: caller({ segregationCodes: ["01"] }), now },
      { page: 0, limit: 10, from: "2026-03-01", to: "2026-03-31" },
    );
    expect(receipts.lastQuery).toMatchObject({
      paymentFrom: "2026-03-01T00:00:00.000Z",
      paymentUntil: "2026-04-01T00:00:00.000Z",
      segregationCodes: ["01"],
    });
  });

  it("refuses a window whose from is after its to", async () => {
    const { service } = setup();
    await expect(
      service.list(
        { organizationFiscalCode: org, caller: caller(), now },
        { page: 0, limit: 10, from: "2026-04-02", to: "2026-04-01" },
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("serves the stored XML, 404 when absent and 403 outside the segregation codes", async () => {
    const { store, service } = setup();
    await store.put(org, "01000000000000001", "r-1", Buffer.from("<receipt/>"));
    const ctx = { organizationFiscalCode: org, caller: caller(), now };
    expect((await service.get(ctx, "01000000000000001")).toString()).toBe("<receipt/>");
    await expect(service.get(ctx, "01000000000000002")).rejects.toMatchObject({ code: "RECEIPT_NOT_FOUND" });
    await expect(
      service.get(
        { organizationFiscalCode: org, caller: caller({ segregationCodes: ["02"] }), now },
        "01000000000000001",
      ),
    ).rejects.toMatchObject({ code: "RECEIPT_FORBIDDEN" });
  });
});

describe("FlowService", () => {
  it("lists an organization's flows newest first and serves one flow's XML, 404 when absent", async () => {
    const store = new InMemoryFlowStore();
    const service = new FlowService(store);
    const key = (flowId: string, flowDate: string) => ({ organization: org, flowDate, flowId });
    await store.store(key("F-OLD", "2026-05-01"), "2026-05-01T08:00:00.000Z", Buffer.from("<old/>"));
    await store.store(key("F-NEW", "2026-05-02"), "2026-05-02T08:00:00.000Z", Buffer.from("<new/>"));
    await store.store({ organization: "88888888888", flowDate: "2026-05-03", flowId: "OTHER" }, "x", Buffer.from(""));
    expect((await service.list(org)).map((f) => f.flowId)).toEqual(["F-NEW", "F-OLD"]);
    expect((await service.list(org, "2026-05-01")).map((f) => f.flowId)).toEqual(["F-OLD"]);
    expect(await service.get(key("F-OLD", "2026-05-01"))).toEqual({ format: "xml", bytes: Buffer.from("<old/>") });
    await expect(service.get(key("F-MISSING", "2026-05-01"))).rejects.toMatchObject({ code: "FLOW_NOT_FOUND" });
  });
});
