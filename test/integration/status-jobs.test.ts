// The validity and expiry jobs against the Cosmos emulator: exactly the eligible positions change, a re-run changes
// nothing, a run that dies half-way is finished by the next one, and a concurrent API change wins.
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { runStatusJob } from "../../shared/application/status-jobs";
import { effectiveStatus } from "../../shared/domain/debt-positions/effective-status";
import type { DebtPosition, DebtPositionStatus } from "../../shared/domain/debt-positions/model";
import type { DebtPositionRepository } from "../../shared/domain/debt-positions/ports";
import { silentLogger as silent } from "../../shared/logging/logger";
import { containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "../support/builders";
import { aFreshFiscalCode } from "../support/keys";
import { cosmosClient, testConfig } from "../support/stack";
import { withOverrides } from "../support/jobs";

const repository = () =>
  new CosmosDebtPositionRepository(
    cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions),
  );

const now = new Date("2031-06-15T12:00:00.000Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

interface Case {
  name: string;
  status: DebtPositionStatus;
  switchToExpired: boolean;
  dueDate: string;
  validityDate?: string;
  paid?: boolean;
  expect: DebtPositionStatus;
}

// Every eligible and ineligible case of docs/domain/jobs.md / docs/domain/jobs.md, boundaries included.
const cases: Case[] = [
  {
    name: "valid past due, switchToExpired",
    status: "VALID",
    switchToExpired: true,
    dueDate: at(-1),
    expect: "EXPIRED",
  },
  { name: "valid due exactly now", status: "VALID", switchToExpired: true, dueDate: at(0), expect: "VALID" },
  {
    name: "valid past due, no switchToExpired",
    status: "VALID",
    switchToExpired: false,
    dueDate: at(-60_000),
    expect: "VALID",
  },
  { name: "valid not yet due", status: "VALID", switchToExpired: true, dueDate: at(60_000), expect: "VALID" },
  {
    name: "partially paid past due",
    status: "PARTIALLY_PAID",
    switchToExpired: true,
    dueDate: at(-60_000),
    paid: true,
    expect: "PARTIALLY_PAID",
  },
  { name: "already expired", status: "EXPIRED", switchToExpired: true, dueDate: at(-60_000), expect: "EXPIRED" },
  { name: "invalid past due", status: "INVALID", switchToExpired: true, dueDate: at(-60_000), expect: "INVALID" },
  { name: "draft past due", status: "DRAFT", switchToExpired: true, dueDate: at(-60_000), expect: "DRAFT" },
  {
    name: "published, validity begun",
    status: "PUBLISHED",
    switchToExpired: false,
    dueDate: at(86_400_000),
    validityDate: at(-1),
    expect: "VALID",
  },
  {
    name: "published, validity exactly now",
    status: "PUBLISHED",
    switchToExpired: false,
    dueDate: at(86_400_000),
    validityDate: at(0),
    expect: "VALID",
  },
  {
    name: "published, validity ahead",
    status: "PUBLISHED",
    switchToExpired: true,
    dueDate: at(86_400_000),
    validityDate: at(1),
    expect: "PUBLISHED",
  },
];

function positionFor(org: string, c: Case, i: number): DebtPosition {
  const iuv = `01${String(i).padStart(15, "0")}`;
  return aDebtPosition({
    organizationFiscalCode: org,
    iupd: `JOB-${i}`,
    status: c.status,
    switchToExpired: c.switchToExpired,
    validityDate: c.validityDate,
    paymentOption: [
      aPaymentOption({
        iuv,
        organizationFiscalCode: org,
        dueDate: c.dueDate,
        validityDate: c.validityDate,
        switchToExpired: c.switchToExpired,
        status: c.paid === true ? "PO_PAID" : "PO_UNPAID",
        transfer: [aTransfer({ organizationFiscalCode: org })],
      }),
    ],
  });
}

async function seed(org: string, count: number): Promise<Map<string, Case>> {
  const expected = new Map<string, Case>();
  const positions = Array.from({ length: count }, (_, i) => {
    const c = cases[i % cases.length]!;
    const p = positionFor(org, c, i);
    expected.set(p.iupd, c);
    return p;
  });
  const repo = repository();
  for (let i = 0; i < positions.length; i += 25) {
    await Promise.all(positions.slice(i, i + 25).map((p) => repo.create(p)));
  }
  return expected;
}

async function storedStatuses(org: string): Promise<Map<string, DebtPositionStatus>> {
  const { resources } = await cosmosClient()
    .database(testConfig().cosmos.database)
    .container(containers.debtpositions)
    .items.query<{ iupd: string; status: DebtPositionStatus }>({
      query: "SELECT c.iupd, c.status FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'position'",
      parameters: [{ name: "@org", value: org }],
    })
    .fetchAll();
  return new Map(resources.map((r) => [r.iupd, r.status]));
}

/** Runs validation then expiry, as the two schedules do. */
async function runBoth(repo: DebtPositionRepository, batchSize = 50) {
  const deps = { repository: repo, clock: () => now, batchSize, log: silent };
  const validated = await runStatusJob("validate", deps);
  const expired = await runStatusJob("expire", deps);
  return { validated, expired };
}

describe("status jobs on the emulator", () => {
  it("changes exactly the eligible positions among 1,000, and a second run changes nothing", async () => {
    const org = aFreshFiscalCode();
    const expected = await seed(org, 1000);
    await runBoth(repository());
    const after = await storedStatuses(org);
    expect(after.size).toBe(1000);
    const wrong = [...expected]
      .filter(([iupd, c]) => after.get(iupd) !== c.expect)
      .map(([iupd, c]) => `${iupd} (${c.name})`);
    expect(wrong).toEqual([]);

    const again = await runBoth(repository());
    // Other test files share the emulator; nothing of this organization may change twice.
    expect(await storedStatuses(org)).toEqual(after);
    expect(again.validated.failed + again.expired.failed).toBe(0);
  }, 120_000);

  it("agrees with the effective status that reads show, on every case", () => {
    for (const [i, c] of cases.entries()) {
      const p = positionFor("00000000000", c, i);
      expect(`${c.name}: ${effectiveStatus(p, now)}`).toBe(`${c.name}: ${c.expect}`);
    }
  });

  it("loses nothing when a run dies after N writes: the next run finishes exactly the rest", async () => {
    const org = aFreshFiscalCode();
    const expected = await seed(org, 110);
    const real = repository();
    let writes = 0;
    const dying = withOverrides(real, {
      replace: async (prev, next) => {
        if (prev.value.organizationFiscalCode === org && ++writes > 7) throw new Error("simulated crash");
        return await real.replace(prev, next);
      },
    });
    await expect(
      runStatusJob("expire", { repository: dying, clock: () => now, batchSize: 10, log: silent }),
    ).rejects.toThrow(/could not be changed/);
    const mid = await storedStatuses(org);
    expect([...mid.values()].filter((s) => s === "EXPIRED").length).toBe(
      7 + [...expected.values()].filter((c) => c.status === "EXPIRED").length,
    );
    await runBoth(real);
    const after = await storedStatuses(org);
    expect([...expected].filter(([iupd, c]) => after.get(iupd) !== c.expect)).toEqual([]);
  }, 60_000);

  it("leaves a position the API changed between the query and the write as the API left it", async () => {
    const org = aFreshFiscalCode();
    const real = repository();
    const c = cases[0]!;
    const position = positionFor(org, c, 1);
    await real.create(position);
    const racing = withOverrides(real, {
      findJobCandidates: async (k, n, s, cont) => {
        const page = await real.findJobCandidates(k, n, s, cont);
        // The EC updates the position (e.g. a new due date) after the job read it.
        const stored = await real.get(org, position.iupd);
        if (stored && stored.value.status === "VALID") {
          await real.replace(stored, { ...stored.value, companyName: "changed by the API", switchToExpired: false });
        }
        return page;
      },
    });
    const summary = await runStatusJob("expire", { repository: racing, clock: () => now, batchSize: 100, log: silent });
    expect(summary.skipped).toBeGreaterThanOrEqual(1);
    const stored = await real.get(org, position.iupd);
    expect(stored?.value).toMatchObject({ status: "VALID", companyName: "changed by the API" });
  });
});
