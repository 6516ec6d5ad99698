// Jobs killed mid-run and re-run lose nothing and do nothing twice, shown with a real kill: a second local host runs
// expireDebtPositions over a few thousand positions and is SIGKILLed half-way; the next run finishes exactly the rest.
import type { LocalHost } from "../../local/host-process";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { createDebtPosition } from "../../shared/domain/debt-positions/lifecycle";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode } from "../support/keys";
import { runJobNow } from "../support/jobs";
import { cosmosClient, startExtraHost, testConfig } from "../support/stack";

const count = 2500;
const container = () => cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);

function expiringPosition(org: string, i: number, createdAt: Date): DebtPosition {
  return createDebtPosition(
    {
      iupd: `KILL-${i}`,
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "Mario Rossi",
      switchToExpired: true,
      companyName: "Kill test",
      paymentOption: [
        {
          iuv: `03${org.slice(-5)}${String(i).padStart(10, "0")}`,
          amount: 100,
          isPartialPayment: false,
          dueDate: new Date(createdAt.getTime() + 1000).toISOString(),
          paymentOptionMetadata: [],
          transfer: [
            {
              idTransfer: "1",
              amount: 100,
              remittanceInformation: "x",
              category: "9/0101108TS/",
              iban: "IT60X0542811101000000123456",
              transferMetadata: [],
            },
          ],
        },
      ],
    },
    { organizationFiscalCode: org, auxDigit: "3", now: createdAt, toPublish: true },
  );
}

interface Snapshot {
  expired: number;
  valid: number;
  byIupd: Map<string, { status: string; lastUpdatedDate: string }>;
}

async function statuses(org: string): Promise<Snapshot> {
  const { resources } = await container()
    .items.query<{ iupd: string; status: string; lastUpdatedDate: string }>(
      {
        query:
          "SELECT c.iupd, c.status, c.lastUpdatedDate FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'position'",
        parameters: [{ name: "@org", value: org }],
      },
      { partitionKey: org },
    )
    .fetchAll();
  return {
    expired: resources.filter((r) => r.status === "EXPIRED").length,
    valid: resources.filter((r) => r.status === "VALID").length,
    byIupd: new Map(resources.map((r) => [r.iupd, { status: r.status, lastUpdatedDate: r.lastUpdatedDate }])),
  };
}

describe("a job killed mid-run", () => {
  let host: LocalHost | undefined;
  afterAll(async () => {
    await host?.close();
  });

  it("loses nothing and changes nothing twice when the next run finishes it", async () => {
    const org = aFreshFiscalCode();
    const repository = new CosmosDebtPositionRepository(container());
    const createdAt = new Date(Date.now() - 60_000);
    const positions = Array.from({ length: count }, (_, i) => expiringPosition(org, i, createdAt));
    for (let i = 0; i < positions.length; i += 50)
      await Promise.all(positions.slice(i, i + 50).map((p) => repository.create(p)));
    expect((await statuses(org)).valid).toBe(count);

    // Small batches so the kill lands between batches and inside one.
    host = await startExtraHost({ JOB_BATCH_SIZE: "20" });
    const started = await fetch(`${host.url}/admin/functions/expireDebtPositions`, { method: "POST", body: "{}" });
    expect(started.status).toBe(202);
    let seen = 0;
    for (let i = 0; i < 400 && seen === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = (await statuses(org)).expired;
    }
    host.child.kill("SIGKILL");
    await new Promise((resolve) => host?.child.once("exit", resolve));
    host = undefined;

    const mid = await statuses(org);
    // Killed part-way: some changed, not all (if this fails, the run was too fast to be interrupted: raise `count`).
    expect(mid.expired).toBeGreaterThan(0);
    expect(mid.expired).toBeLessThan(count);

    // The next run — on the suite's own host, as a restarted instance would — finishes exactly the rest.
    expect(await runJobNow("expireDebtPositions")).toMatchObject({ status: "succeeded" });
    const after = await statuses(org);
    expect(after).toMatchObject({ expired: count, valid: 0 });
    // What the killed run changed was not changed again: its lastUpdatedDate is still the killed run's.
    const changedTwice = [...mid.byIupd]
      .filter(([, before]) => before.status === "EXPIRED")
      .filter(([iupd, before]) => after.byIupd.get(iupd)?.lastUpdatedDate !== before.lastUpdatedDate);
    expect(changedTwice).toEqual([]);
  }, 300_000);
});
