// The everyday API's writes against the Cosmos emulator: the IBAN change finds positions through the indexed
// changeableIbans field (and re-indexes documents written before it existed), never loses a concurrent update, and
// the repository's bulk replace/delete undo what they did when one write fails.
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { positionId } from "../../shared/adapters/cosmos/debt-position-document";
import { PaymentOptionService } from "../../shared/application/payment-option-service";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import type { Versioned } from "../../shared/domain/debt-positions/ports";
import { DomainError } from "../../shared/domain/errors";
import { containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "../support/builders";
import { aFreshIuv } from "../support/gpd-client";
import { withOverrides } from "../support/jobs";
import { aFreshFiscalCode, anOrganization, organizationRepository } from "../support/keys";
import { cosmosClient, testConfig } from "../support/stack";

const OLD = "IT60X0542811101000000123456";
const NEW = "IT07X0542811101000000654321";

const container = () => cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);
const repository = () => new CosmosDebtPositionRepository(container());

const aPosition = (org: string, iupd: string, overrides: Partial<DebtPosition> = {}): DebtPosition =>
  aDebtPosition({
    organizationFiscalCode: org,
    iupd,
    status: "VALID",
    paymentOption: [
      aPaymentOption({
        iuv: aFreshIuv(),
        organizationFiscalCode: org,
        transfer: [aTransfer({ organizationFiscalCode: org, iban: OLD })],
      }),
    ].map((o) => ({ ...o, nav: `3${o.iuv}` })),
    ...overrides,
  });

async function stored(org: string, iupd: string): Promise<Versioned<DebtPosition>> {
  const found = await repository().get(org, iupd);
  if (found === undefined) throw new Error(`no position ${iupd}`);
  return found;
}

const ctx = (org: string) => ({
  organizationFiscalCode: org,
  caller: { subscriptionName: "test", organizations: [org], products: [] },
  now: new Date(),
});

describe("the IBAN change against Cosmos", () => {
  let org: string;
  beforeEach(async () => {
    org = aFreshFiscalCode();
    await anOrganization(org, [OLD, NEW]);
  });

  it("indexes the IBANs that can still change on the position document", async () => {
    await repository().create(aPosition(org, "A"));
    const { resource } = await container().item(positionId("A"), org).read<{ changeableIbans: string[] }>();
    expect(resource?.changeableIbans).toEqual([OLD]);
    const page = await repository().findByChangeableIban(org, OLD, 10);
    expect(page.items.map((p) => p.value.iupd)).toEqual(["A"]);
    expect((await repository().findByChangeableIban(org, NEW, 10)).items).toEqual([]);
  });

  it("re-indexes a document written before changeableIbans existed, then changes it", async () => {
    await repository().create(aPosition(org, "LEGACY"));
    await repository().create(aPosition(org, "LEGACY-OTHER", { status: "DRAFT" }));
    for (const id of ["LEGACY", "LEGACY-OTHER"]) {
      const { resource } = await container().item(positionId(id), org).read<Record<string, unknown>>();
      const legacy: Record<string, unknown> = { ...resource };
      Reflect.deleteProperty(legacy, "changeableIbans");
      await container().item(positionId(id), org).replace(legacy);
    }
    const service = new PaymentOptionService({ positions: repository(), organizations: organizationRepository() });
    expect(await service.changeIban(ctx(org), { oldIban: OLD, newIban: NEW })).toEqual({ updatedTransfers: 2 });
    for (const id of ["LEGACY", "LEGACY-OTHER"]) {
      const { resource } = await container().item(positionId(id), org).read<{ changeableIbans: string[] }>();
      expect(resource?.changeableIbans).toEqual([NEW]);
    }
  });

  it("never loses an update that lands between its read and its write", async () => {
    await repository().create(aPosition(org, "RACED"));
    const real = repository();
    let raced = false;
    const positions = withOverrides(real, {
      replace: async (previous, next) => {
        if (!raced) {
          raced = true;
          // Another request renames the company after the IBAN change read the position.
          const fresh = await stored(org, "RACED");
          await real.replace(fresh, { ...fresh.value, companyName: "Renamed meanwhile" });
        }
        return await real.replace(previous, next);
      },
    });
    const service = new PaymentOptionService({ positions, organizations: organizationRepository() });
    expect(await service.changeIban(ctx(org), { oldIban: OLD, newIban: NEW })).toEqual({ updatedTransfers: 1 });
    const after = (await stored(org, "RACED")).value;
    expect(after.companyName).toBe("Renamed meanwhile");
    expect(after.paymentOption[0]?.transfer[0]?.iban).toBe(NEW);
  });
});

describe("the repository's bulk replace and delete", () => {
  it("replaceMany restores what it wrote when a later write fails", async () => {
    const org = aFreshFiscalCode();
    await repository().create(aPosition(org, "A"));
    await repository().create(aPosition(org, "B"));
    const a = await stored(org, "A");
    const staleB = await stored(org, "B");
    await repository().replace(staleB, { ...staleB.value, companyName: "changed by someone else" });
    await expect(
      repository().replaceMany([
        { previous: a, next: { ...a.value, companyName: "bulk A" } },
        { previous: staleB, next: { ...staleB.value, companyName: "bulk B" } },
      ]),
    ).rejects.toThrow(DomainError);
    expect((await stored(org, "A")).value.companyName).toBe(a.value.companyName);
    expect((await stored(org, "B")).value.companyName).toBe("changed by someone else");
  });

  it("deleteMany re-creates what it deleted when a later delete fails, claims included", async () => {
    const org = aFreshFiscalCode();
    const a = aPosition(org, "A");
    await repository().create(a);
    await repository().create(aPosition(org, "B"));
    const storedA = await stored(org, "A");
    const staleB = await stored(org, "B");
    await repository().replace(staleB, { ...staleB.value, companyName: "changed" });
    await expect(repository().deleteMany([storedA, staleB])).rejects.toThrow(DomainError);
    expect((await stored(org, "A")).value.iupd).toBe("A");
    const byIuv = await repository().findByPaymentReference(org, { iuv: a.paymentOption[0]?.iuv ?? "" });
    expect(byIuv?.value.iupd).toBe("A");
  });
});
