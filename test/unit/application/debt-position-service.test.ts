// DebtPositionService against typed in-memory ports: what it loads, what it lets the domain decide, and how it writes
// back (uniqueness, all-or-nothing bulk, segregation codes, lost races re-decided on fresh data).
import type { CallContext } from "../../../shared/application/call-context";
import { DebtPositionService } from "../../../shared/application/debt-position-service";
import { newOrganization } from "../../../shared/domain/organizations/organization";
import type { Caller } from "../../../shared/domain/subscriptions/subscription";
import {
  aDebtPositionInput,
  anOrganizationFiscalCode,
  aPaymentOptionInput,
  aRegisteredIban,
} from "../../support/builders";
import { InMemoryDebtPositionRepository, InMemoryOrganizationRepository } from "../../support/fakes";

const now = new Date("2026-06-01T10:00:00.000Z");
const org = anOrganizationFiscalCode;

function setup(caller: Partial<Caller> = {}) {
  const repository = new InMemoryDebtPositionRepository();
  const organizations = new InMemoryOrganizationRepository([
    newOrganization({ fiscalCode: org, companyName: "Comune di Test", ibans: [aRegisteredIban], auxDigit: "3", now }),
  ]);
  const service = new DebtPositionService({ repository, organizations });
  const ctx: CallContext = {
    organizationFiscalCode: org,
    caller: { subscriptionName: "test", organizations: [org], products: ["debt-positions"], ...caller },
    now,
  };
  return { repository, service, ctx };
}

describe("DebtPositionService", () => {
  it("creates a DRAFT position whose NAV is the aux digit + IUV, and reads it back", async () => {
    const { service, ctx, repository } = setup();
    const created = await service.create(ctx, aDebtPositionInput(), false);
    expect(created.status).toBe("DRAFT");
    expect(created.paymentOption[0]?.nav).toBe("301000000000000001");
    expect(await service.get(ctx, "IUPD-0001")).toMatchObject({ iupd: "IUPD-0001", status: "DRAFT" });
    expect(repository.writes).toBe(1);
  });

  it("publishes at once (VALID) when asked to and no validity date is given", async () => {
    const { service, ctx } = setup();
    expect((await service.create(ctx, aDebtPositionInput(), true)).status).toBe("VALID");
  });

  it("refuses a second position reusing an IUV with a uniqueness violation, writing nothing", async () => {
    const { service, ctx, repository } = setup();
    await service.create(ctx, aDebtPositionInput(), false);
    await expect(service.create(ctx, aDebtPositionInput({ iupd: "IUPD-0002" }), false)).rejects.toMatchObject({
      code: "DEBT_POSITION_UNIQUE_VIOLATION",
    });
    expect(repository.all()).toHaveLength(1);
  });

  it("writes nothing of a bulk that repeats an IUV inside itself", async () => {
    const { service, ctx, repository } = setup();
    const bulk = [
      aDebtPositionInput({ iupd: "A" }),
      aDebtPositionInput({ iupd: "B", paymentOption: [aPaymentOptionInput({ iuv: "01000000000000009" })] }),
      aDebtPositionInput({ iupd: "C" }),
    ];
    await expect(service.createMany(ctx, bulk, false)).rejects.toMatchObject({
      code: "DEBT_POSITION_UNIQUE_VIOLATION",
    });
    expect(repository.all()).toHaveLength(0);
  });

  it("validates every body of a bulk before writing any", async () => {
    const { service, ctx, repository } = setup();
    const bulk = [
      aDebtPositionInput({ iupd: "A" }),
      aDebtPositionInput({ iupd: "B", paymentOption: [aPaymentOptionInput({ iuv: "01000000000000002", amount: 1 })] }),
    ];
    await expect(service.createMany(ctx, bulk, false)).rejects.toMatchObject({ status: 400 });
    expect(repository.all()).toHaveLength(0);
  });

  it("refuses positions whose IUVs fall outside the caller's segregation codes", async () => {
    const { service, ctx, repository } = setup({ segregationCodes: ["02"] });
    await expect(service.create(ctx, aDebtPositionInput(), false)).rejects.toMatchObject({
      code: "DEBT_POSITION_FORBIDDEN",
    });
    expect(repository.all()).toHaveLength(0);
  });

  it("refuses an update whose body names another IUPD than the path", async () => {
    const { service, ctx } = setup();
    await service.create(ctx, aDebtPositionInput(), false);
    await expect(service.update(ctx, "IUPD-0001", aDebtPositionInput({ iupd: "OTHER" }), false)).rejects.toThrow(
      /IUPD mistmatch/,
    );
  });

  it("re-decides an update on fresh data when another request changed the position meanwhile", async () => {
    const { service, ctx, repository } = setup();
    await service.create(ctx, aDebtPositionInput(), false);
    let interfered = false;
    repository.beforeNextWrite = () => {
      interfered = true;
      repository.touch(org, "IUPD-0001", (p) => ({ ...p, companyName: "changed by someone else" }));
    };
    const updated = await service.update(
      ctx,
      "IUPD-0001",
      aDebtPositionInput({ companyName: "Comune aggiornato" }),
      false,
    );
    expect(interfered).toBe(true);
    expect(updated.companyName).toBe("Comune aggiornato");
    expect(repository.all()[0]?.companyName).toBe("Comune aggiornato");
  });

  it("publishes only from DRAFT and invalidates only a published position (409 otherwise)", async () => {
    const { service, ctx } = setup();
    await service.create(ctx, aDebtPositionInput(), false);
    await expect(service.invalidate(ctx, "IUPD-0001")).rejects.toMatchObject({ status: 409 });
    expect((await service.publish(ctx, "IUPD-0001")).status).toBe("VALID");
    await expect(service.publish(ctx, "IUPD-0001")).rejects.toMatchObject({ status: 409 });
    expect((await service.invalidate(ctx, "IUPD-0001")).status).toBe("INVALID");
  });

  it("deletes, and answers 404 for a position that is not there", async () => {
    const { service, ctx, repository } = setup();
    await service.create(ctx, aDebtPositionInput(), false);
    await service.delete(ctx, "IUPD-0001");
    expect(repository.all()).toHaveLength(0);
    await expect(service.delete(ctx, "IUPD-0001")).rejects.toMatchObject({ code: "DEBT_POSITION_NOT_FOUND" });
    await expect(service.get(ctx, "IUPD-0001")).rejects.toMatchObject({ status: 404 });
  });
});
