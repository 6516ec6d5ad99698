// Jobs killed mid-run and re-run lose nothing and do nothing twice, shown with a real kill: a second local host runs
// expireDebtPositions over a few thousand positions and is SIGKILLed half-way; the next run finishes exactly the rest.
// Both hosts run on a stack of their own (test/support/isolated-stack.ts): the job expires every past-due position of
// its database, so on the suite's database it would change other tests' positions, and theirs would change these.
import type { Container } from "@azure/cosmos";
import type { LocalHost } from "../../local/host-process";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { createDebtPosition } from "../../shared/domain/debt-positions/lifecycle";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import { startIsolatedStack, type IsolatedStack } from "../support/isolated-stack";
import { runJobNow } from "../support/jobs";
import { aFreshFiscalCode } from "../support/keys";

const count = 2500;

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

async function statuses(container: Container, org: string): Promise<Snapshot> {
  const { resources } = await container.items
    .query<{ iupd: string; status: string; lastUpdatedDate: string }>(
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
  let stack: IsolatedStack | undefined;
  afterAll(async () => {
    await stack?.close();
  });

  it("loses nothing and changes nothing twice when the next run finishes it", async () => {
    const own = await startIsolatedStack();
    stack = own;
    const container = own.container("debtpositions");
    const org = aFreshFiscalCode();
    const repository = new CosmosDebtPositionRepository(container);
    const createdAt = new Date(Date.now() - 60_000);
    const positions = Array.from({ length: count }, (_, i) => expiringPosition(org, i, createdAt));
    for (let i = 0; i < positions.length; i += 50)
      await Promise.all(positions.slice(i, i + 50).map((p) => repository.create(p)));
    expect((await statuses(container, org)).valid).toBe(count);

    // Small batches so the kill lands between batches and inside one.
    let host: LocalHost | undefined = await own.startHost({ JOB_BATCH_SIZE: "20" });
    const started = await fetch(`${host.url}/admin/functions/expireDebtPositions`, { method: "POST", body: "{}" });
    expect(started.status).toBe(202);
    let seen = 0;
    for (let i = 0; i < 400 && seen === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = (await statuses(container, org)).expired;
    }
    host.child.kill("SIGKILL");
    await new Promise((resolve) => host?.child.once("exit", resolve));
    host = undefined;

    const mid = await statuses(container, org);
    // Killed part-way: some changed, not all (if this fails, the run was too fast to be interrupted: raise `count`).
    expect(mid.expired).toBeGreaterThan(0);
    expect(mid.expired).toBeLessThan(count);

    // The next run — on another host, as a restarted instance would — finishes exactly the rest.
    const next = await own.startHost();
    expect(await runJobNow("expireDebtPositions", next.url)).toMatchObject({ status: "succeeded" });
    const after = await statuses(container, org);
    expect(after).toMatchObject({ expired: count, valid: 0 });
    // What the killed run changed was not changed again: its lastUpdatedDate is still the killed run's.
    const changedTwice = [...mid.byIupd]
      .filter(([, before]) => before.status === "EXPIRED")
      .filter(([iupd, before]) => after.byIupd.get(iupd)?.lastUpdatedDate !== before.lastUpdatedDate);
    expect(changedTwice).toEqual([]);
  }, 300_000);
});
