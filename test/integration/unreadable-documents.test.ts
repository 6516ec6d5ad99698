// A stored position that no longer parses (written before a rule existed, e.g. an amount beyond a safe integer from
// the old notification fee, or edited by hand) never takes its organization's list or a status job down: it is
// reported by id and skipped, and everything else is served (docs/adr/0017-hostile-input-limits.md).
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { toDocument } from "../../shared/adapters/cosmos/debt-position-document";
import { runStatusJob } from "../../shared/application/status-jobs";
import type { Logger } from "../../shared/logging/logger";
import { containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "../support/builders";
import { aFreshFiscalCode } from "../support/keys";
import { cosmosClient, testConfig } from "../support/stack";

const container = () => cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);

describe("unreadable stored positions", () => {
  it("are skipped and reported by the list and by the expiry job, which serve the rest", async () => {
    const org = aFreshFiscalCode();
    const repository = new CosmosDebtPositionRepository(container());
    const now = new Date("2031-06-15T12:00:00.000Z");
    const expiring = (iupd: string) =>
      aDebtPosition({
        organizationFiscalCode: org,
        iupd,
        status: "VALID",
        switchToExpired: true,
        paymentOption: [
          aPaymentOption({
            organizationFiscalCode: org,
            iuv: `01${iupd.slice(-15).padStart(15, "0")}`,
            nav: `301${iupd.slice(-15).padStart(15, "0")}`,
            switchToExpired: true,
            dueDate: "2031-06-01T00:00:00.000Z",
            transfer: [aTransfer({ organizationFiscalCode: org })],
          }),
        ],
      });
    await repository.create(expiring("GOOD-000000000001"));
    // What the old notification fee wrote: an amount beyond a safe integer, which no longer parses.
    const broken = toDocument(expiring("BAD-0000000000002"));
    const options = broken.paymentOption as Record<string, unknown>[];
    options[0] = { ...options[0], amount: 9007199254750992 };
    await container().items.create(broken);

    const page = await repository.list({
      organizationFiscalCode: org,
      page: 0,
      limit: 50,
      orderBy: "IUPD",
      ordering: "ASC",
      now,
    });
    expect(page.items.map((p) => p.iupd)).toEqual(["GOOD-000000000001"]);
    expect(page.unreadable?.map((u) => u.id)).toEqual(["position:BAD-0000000000002"]);

    const errors: string[] = [];
    const log: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => {
        errors.push(m);
      },
    };
    const summary = await runStatusJob("expire", { repository, clock: () => now, batchSize: 10, log });
    expect(summary).toMatchObject({ changed: expect.any(Number) as number, failed: 0 });
    expect(summary.unreadable).toBeGreaterThanOrEqual(1);
    expect(errors.some((e) => e.includes("position:BAD-0000000000002"))).toBe(true);
    expect((await repository.get(org, "GOOD-000000000001"))?.value.status).toBe("EXPIRED");
  }, 60_000);
});
