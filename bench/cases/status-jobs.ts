// The expiry job against the raw conditional writes it needs: positions expired per second by runStatusJob vs
// read-free conditional replaces made directly with the SDK on the same documents, and Cosmos round trips per
// expired position (goal: one write each plus one query per batch).
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { toDocument, positionId } from "../../shared/adapters/cosmos/debt-position-document";
import { runStatusJob } from "../../shared/application/status-jobs";
import { createDebtPosition } from "../../shared/domain/debt-positions/lifecycle";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import { containers } from "../../shared/storage/definition";
import { uniqueSuffix, type BenchCase } from "../harness";
import { silentLogger as silent } from "../../shared/logging/logger";

function expiring(org: string, iupd: string, i: number, createdAt: Date): DebtPosition {
  return createDebtPosition(
    {
      iupd,
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "Mario Rossi",
      switchToExpired: true,
      companyName: "Bench",
      paymentOption: [
        {
          iuv: `02${String(i).padStart(9, "0")}${String(createdAt.getTime() % 1e6).padStart(6, "0")}`,
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

export const statusJobsBench: BenchCase = {
  name: "status-jobs",
  async run(ctx) {
    const count = Math.max(50, Math.round(500 * ctx.scale));
    const batchSize = ctx.config.jobs.batchSize;
    const container = ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
    const countingRepository = new CosmosDebtPositionRepository(
      ctx.deps.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions),
    );
    const createdAt = new Date(Date.now() - 60_000);
    const later = new Date();
    const seed = async (org: string, prefix: string) => {
      const positions = Array.from({ length: count }, (_, i) => expiring(org, `${prefix}-${i}`, i, createdAt));
      for (let i = 0; i < positions.length; i += 20) {
        await Promise.all(positions.slice(i, i + 20).map((p) => countingRepository.create(p)));
      }
      return positions;
    };

    // Subject: the job (query in batches + one conditional write per position).
    const jobOrg = await ctx.freshOrganization();
    await seed(jobOrg.fiscalCode, `JOB-${uniqueSuffix()}`);
    ctx.roundTrips.reset();
    const t0 = performance.now();
    const summary = await runStatusJob("expire", {
      repository: countingRepository,
      clock: () => later,
      batchSize,
      log: silent,
    });
    const jobSeconds = (performance.now() - t0) / 1000;
    const jobTrips = ctx.roundTrips.count;

    // Baseline: the same number of conditional replaces, documents already in hand (no query, no decision).
    const rawOrg = await ctx.freshOrganization();
    const raw = await seed(rawOrg.fiscalCode, `RAW-${uniqueSuffix()}`);
    const etags = new Map<string, string>();
    for (const p of raw) {
      const { etag } = await container.item(positionId(p.iupd), rawOrg.fiscalCode).read();
      etags.set(p.iupd, etag);
    }
    const t1 = performance.now();
    for (let i = 0; i < raw.length; i += 10) {
      await Promise.all(
        raw.slice(i, i + 10).map((p) =>
          container
            .item(positionId(p.iupd), rawOrg.fiscalCode)
            .replace(toDocument({ ...p, status: "EXPIRED", lastUpdatedDate: later.toISOString() }) as { id: string }, {
              accessCondition: { type: "IfMatch", condition: etags.get(p.iupd) ?? "" },
            }),
        ),
      );
    }
    const rawSeconds = (performance.now() - t1) / 1000;
    return [
      {
        case: "status-jobs",
        metric: `positions expired/s (${summary.changed} of ${count})`,
        subject: summary.changed / jobSeconds,
        baseline: raw.length / rawSeconds,
        unit: "pos/s",
        note: "job vs raw conditional replaces",
      },
      {
        case: "status-jobs",
        metric: "Cosmos round trips / expired position",
        subject: jobTrips / Math.max(1, summary.changed),
        unit: "calls",
        note: `${summary.batches} queries for ${summary.examined} examined`,
      },
    ];
  },
};
