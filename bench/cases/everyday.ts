// The everyday operations around v1 (docs/adr/0025):
//  - the IBAN change over 10,000 transfers (2,000 positions × 5 transfers at scale 1), called with limit 1000 until
//    it answers 0, against the raw conditional writes the same change needs (one ETag-conditional replace per
//    position, done directly with the SDK on a twin set of positions of another organization);
//  - the lookup of an option by its notice number against a point read of its position (goal: ≤ 2 point reads),
//    as Cosmos round trips and as requests per second through the local host.
import type { Container } from "@azure/cosmos";
import { CosmosOrganizationRepository } from "../../shared/adapters/cosmos/cosmos-organization-repository";
import { navClaimId, positionId, toDocument } from "../../shared/adapters/cosmos/debt-position-document";
import { PaymentOptionService } from "../../shared/application/payment-option-service";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { containers } from "../../shared/storage/definition";
import { countRoundTrips, httpLoad, inProcessPair, type BenchCase, type BenchContext, type BenchRow } from "../harness";
import { aBenchPosition } from "../positions";

const OLD = "IT60X0542811101000000123456";
const NEW = "IT07X0542811101000000654321";
const TRANSFERS_PER_POSITION = 5;
const seconds = () => Number(process.env.BENCH_SECONDS ?? "4");

async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

/** Positions written through the repository (documents as the app writes them), with the ETag of each. */
async function seed(ctx: BenchContext, org: string, count: number, tag: string) {
  const at = new Date().toISOString();
  const run = String(Date.now() % 1e8).padStart(8, "0");
  const positions = Array.from({ length: count }, (_, i) =>
    aBenchPosition(org, `0${tag}${run}${String(i).padStart(6, "0")}`, at, {
      iupdPrefix: "IBAN-",
      transfers: TRANSFERS_PER_POSITION,
      iban: OLD,
    }),
  );
  const etags = new Map<string, string>();
  await forEachLimited(positions, 8, async (p) => {
    etags.set(p.iupd, await ctx.deps.debtPositions.create(p));
  });
  return positions.map((p) => ({ position: p, etag: etags.get(p.iupd) ?? "" }));
}

async function registerBoth(ctx: BenchContext, fiscalCode: string) {
  const organizations = new CosmosOrganizationRepository(
    ctx.cosmos.database(ctx.config.cosmos.database).container(containers.organizations),
  );
  await organizations.upsert(
    newOrganization({ fiscalCode, companyName: "Bench IBAN", ibans: [OLD, NEW], now: new Date() }),
  );
  return organizations;
}

export const everydayBench: BenchCase = {
  name: "everyday",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const container: Container = ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
    const positions = Math.max(20, Math.round(2000 * ctx.scale));
    const transfers = positions * TRANSFERS_PER_POSITION;

    // ---- IBAN change: the use case (queries + conditional replaces) vs the raw conditional replaces ----
    const subjectOrg = await ctx.freshOrganization();
    const baselineOrg = await ctx.freshOrganization();
    const organizations = await registerBoth(ctx, subjectOrg.fiscalCode);
    await seed(ctx, subjectOrg.fiscalCode, positions, "1");
    const twins = await seed(ctx, baselineOrg.fiscalCode, positions, "2");
    const service = new PaymentOptionService({ positions: ctx.deps.debtPositions, organizations });
    const call = {
      organizationFiscalCode: subjectOrg.fiscalCode,
      caller: { subscriptionName: "bench", organizations: [subjectOrg.fiscalCode], products: [] },
    };

    let calls = 0;
    let changed = 0;
    ctx.roundTrips.reset();
    const t0 = performance.now();
    for (;;) {
      calls += 1;
      const { updatedTransfers } = await service.changeIban(
        { ...call, now: new Date() },
        { oldIban: OLD, newIban: NEW, limit: 1000 },
      );
      changed += updatedTransfers;
      if (updatedTransfers === 0) break;
    }
    const subjectMs = performance.now() - t0;
    const subjectTrips = ctx.roundTrips.count;
    if (changed !== transfers) throw new Error(`IBAN change updated ${changed} transfers, expected ${transfers}`);

    ctx.roundTrips.reset();
    const t1 = performance.now();
    for (const { position, etag } of twins) {
      const next: DebtPosition = {
        ...position,
        paymentOption: position.paymentOption.map((o) => ({
          ...o,
          transfer: o.transfer.map((t) => ({ ...t, iban: NEW })),
        })),
      };
      await container
        .item(positionId(position.iupd), position.organizationFiscalCode)
        .replace(toDocument(next), { accessCondition: { type: "IfMatch", condition: etag } });
    }
    const baselineMs = performance.now() - t1;

    rows.push(
      {
        case: "everyday",
        metric: `IBAN change: ${transfers} transfers on ${positions} positions, ${calls} calls of limit 1000`,
        subject: Math.round(subjectMs),
        baseline: Math.round(baselineMs),
        unit: "ms",
        note: `baseline: ${positions} ETag-conditional replaces with the SDK`,
      },
      {
        case: "everyday",
        metric: "IBAN change: Cosmos round trips",
        subject: subjectTrips,
        baseline: positions,
        unit: "calls",
        note: "subject = index query pages (100 positions each) + one conditional write per position",
      },
    );

    // ---- lookup by NAV vs a point read ----
    const lookupOrg = subjectOrg.fiscalCode;
    const [probe] = await seed(ctx, lookupOrg, 1, "3");
    if (probe === undefined) throw new Error("no probe position");
    const nav = probe.position.paymentOption[0]?.nav ?? "";
    const lookupCall = { ...call, now: new Date() };
    await service.getByNav(lookupCall, nav);
    rows.push({
      case: "everyday",
      metric: "Cosmos round trips: option by NAV vs position point read",
      subject: await countRoundTrips(ctx.roundTrips, () => service.getByNav({ ...call, now: new Date() }, nav)),
      baseline: await countRoundTrips(ctx.roundTrips, () => ctx.deps.debtPositions.get(lookupOrg, probe.position.iupd)),
      unit: "calls",
      note: "goal ≤ 2 point reads (NAV claim + position)",
    });
    const headers = { "Ocp-Apim-Subscription-Key": subjectOrg.key };
    const byNav = await httpLoad({
      url: `${ctx.baseUrl}/organizations/${lookupOrg}/paymentoptions/${nav}`,
      headers,
      durationSeconds: seconds(),
    });
    const byIupd = await httpLoad({
      url: `${ctx.baseUrl}/organizations/${lookupOrg}/debtpositions/${probe.position.iupd}`,
      headers,
      durationSeconds: seconds(),
    });
    if (byNav.non2xx > 0 || byIupd.non2xx > 0)
      throw new Error(`lookup load had errors: ${byNav.non2xx}/${byIupd.non2xx}`);
    rows.push({
      case: "everyday",
      metric: "GET option by NAV vs GET position by IUPD (host)",
      subject: byNav.requestsPerSecond,
      baseline: byIupd.requestsPerSecond,
      unit: "req/s",
      note: `p99 ${byNav.p99Ms} ms vs ${byIupd.p99Ms} ms`,
    });
    // The same lookup three ways: through the host, the use case in-process, the two point reads with the SDK.
    const documents = ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
    const [useCase, sdk] = await inProcessPair(
      () => service.getByNav({ ...call, now: new Date() }, nav),
      async () => {
        const { resource } = await documents.item(navClaimId(nav), lookupOrg).read<{ iupd: string }>();
        await documents.item(positionId(resource?.iupd ?? ""), lookupOrg).read();
      },
      { durationSeconds: seconds() },
    );
    rows.push({
      case: "everyday",
      metric: "option by NAV: host / use case in-process / SDK point reads",
      subject: byNav.requestsPerSecond,
      inProcess: useCase.requestsPerSecond,
      baseline: sdk.requestsPerSecond,
      unit: "req/s",
      note: "baseline: NAV claim + position point reads via the SDK",
    });
    return rows;
  },
};
