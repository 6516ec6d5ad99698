// Debt positions: create / get / list / update through the local host against the same Cosmos calls made directly
// with the SDK, and the Cosmos round trips each use case costs (goals: get 1, create constant in the number of
// options, update/publish/invalidate/delete ≤ 2, a list page ≤ 2).
import type { Container } from "@azure/cosmos";
import { claimDocuments, positionId, toDocument } from "../../shared/adapters/cosmos/debt-position-document";
import type { CallContext } from "../../shared/application/call-context";
import { createDebtPosition } from "../../shared/domain/debt-positions/lifecycle";
import type { DebtPositionInput } from "../../shared/domain/debt-positions/model";
import { containers } from "../../shared/storage/definition";
import { countRoundTrips, httpLoad, inProcessPair, uniqueSuffix, type BenchCase, type BenchRow } from "../harness";

const seconds = () => Number(process.env.BENCH_SECONDS ?? "4");
const iban = "IT60X0542811101000000123456";
let iuvSerial = 0;
const nextIuv = () => `01${String(Date.now() % 1e9).padStart(9, "0")}${String((iuvSerial += 1)).padStart(6, "0")}`;

function anInput(options: { iupd: string; options?: number; description?: string }): DebtPositionInput {
  const dueDate = new Date(Date.now() + 30 * 86_400_000).toISOString();
  return {
    iupd: options.iupd,
    type: "F",
    fiscalCode: "RSSMRA80A01H501U",
    fullName: "Mario Rossi",
    switchToExpired: false,
    companyName: `Bench ${options.iupd}`,
    paymentOption: Array.from({ length: options.options ?? 1 }, () => ({
      iuv: nextIuv(),
      amount: 10_000,
      description: options.description ?? "bench",
      isPartialPayment: false,
      dueDate,
      paymentOptionMetadata: [],
      transfer: [
        {
          idTransfer: "1",
          amount: 10_000,
          remittanceInformation: "bench",
          category: "9/0101108TS/",
          iban,
          transferMetadata: [],
        },
      ],
    })),
  };
}

/** The API body of an input (what a client sends). */
const body = (input: DebtPositionInput) => JSON.stringify(input);

export const debtPositionsBench: BenchCase = {
  name: "debt-positions",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const { fiscalCode: org, key } = await ctx.freshOrganization();
    const headers = { "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/json" };
    const container: Container = ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
    const service = ctx.deps.debtPositionService;
    const caller = { subscriptionName: "bench", organizations: [org], products: [] };
    const call = (): CallContext => ({ organizationFiscalCode: org, caller, now: new Date() });
    const run = uniqueSuffix();

    // A partition with some positions, so gets, lists and updates are not served from an empty container.
    const seeded = Math.max(20, Math.round(200 * ctx.scale));
    const iupds: string[] = [];
    for (let i = 0; i < seeded; i += 1) {
      const iupd = `SEED-${run}-${i}`;
      await service.create(call(), anInput({ iupd }), false);
      iupds.push(iupd);
    }

    // ---- round trips per use case (warm: organization cached, partition key ranges known) ----
    const trips = async (metric: string, op: () => Promise<unknown>, goal: string) => {
      rows.push({
        case: "debt-positions",
        metric: `Cosmos round trips: ${metric}`,
        subject: await countRoundTrips(ctx.roundTrips, op),
        unit: "calls",
        note: goal,
      });
    };
    await trips(
      "create (1 option)",
      () => service.create(call(), anInput({ iupd: `RT1-${run}` }), false),
      "constant in options",
    );
    await trips(
      "create (5 options)",
      () => service.create(call(), anInput({ iupd: `RT5-${run}`, options: 5 }), false),
      "constant in options",
    );
    await trips("get", () => service.get(call(), iupds[0] ?? ""), "goal 1");
    await trips(
      "update",
      () => service.update(call(), `RT5-${run}`, anInput({ iupd: `RT5-${run}`, options: 5 }), false),
      "goal ≤ 2 (here the IUVs change too)",
    );
    await trips("publish", () => service.publish(call(), `RT1-${run}`), "goal ≤ 2");
    await trips("invalidate", () => service.invalidate(call(), `RT1-${run}`), "goal ≤ 2");
    await trips("delete", () => service.delete(call(), `RT1-${run}`), "goal ≤ 2");
    await trips(
      "list, full page (limit 10)",
      () => service.list(call(), { page: 0, limit: 10, orderBy: "COMPANY_NAME", ordering: "DESC" }),
      "page + count queries, each with the SDK's query-plan request",
    );
    const small = await ctx.freshOrganization();
    const smallCall = (): CallContext => ({
      organizationFiscalCode: small.fiscalCode,
      caller: { ...caller, organizations: [small.fiscalCode] },
      now: new Date(),
    });
    for (let i = 0; i < 3; i += 1) await service.create(smallCall(), anInput({ iupd: `SMALL-${run}-${i}` }), false);
    await trips(
      "list, partial page",
      () => service.list(smallCall(), { page: 0, limit: 10, orderBy: "COMPANY_NAME", ordering: "DESC" }),
      "the page tells the total: no count query",
    );

    // ---- create: POST through the host vs the same transactional batch made with the SDK ----
    let created = 0;
    const hostCreate = await httpLoad({
      url: `${ctx.baseUrl}/organizations/${org}/debtpositions`,
      method: "POST",
      headers,
      vary: () => ({ body: body(anInput({ iupd: `HC-${run}-${(created += 1)}` })) }),
      durationSeconds: seconds(),
    });
    const [sdkCreate, useCaseCreate] = await inProcessPair(
      async (i) => {
        const position = createDebtPosition(anInput({ iupd: `SC-${run}-${i}` }), {
          organizationFiscalCode: org,
          auxDigit: "3",
          now: new Date(),
          toPublish: false,
        });
        const docs: { id: string }[] = [toDocument(position), ...claimDocuments(position)];
        const response = await container.items.batch(
          docs.map((d) => ({ operationType: "Create", resourceBody: d })),
          org,
        );
        if (response.result?.some((r) => r.statusCode >= 400)) throw new Error("batch failed");
      },
      (i) => service.create(call(), anInput({ iupd: `UC-${run}-${i}` }), false),
      { durationSeconds: seconds() },
    );
    rows.push(
      {
        case: "debt-positions",
        metric: "create req/s",
        subject: hostCreate.requestsPerSecond,
        inProcess: useCaseCreate.requestsPerSecond,
        baseline: sdkCreate.requestsPerSecond,
        unit: "req/s",
        note: `host vs SDK batch; non-2xx ${hostCreate.non2xx}`,
      },
      {
        case: "debt-positions",
        metric: "create p99",
        subject: hostCreate.p99Ms,
        inProcess: useCaseCreate.p99Ms,
        baseline: sdkCreate.p99Ms,
        unit: "ms",
      },
    );

    // ---- get: GET through the host vs a point read ----
    const hostGet = await httpLoad({
      url: `${ctx.baseUrl}/organizations/${org}/debtpositions/${iupds[0] ?? ""}`,
      headers,
      vary: (i) => ({ path: `/organizations/${org}/debtpositions/${iupds[i % iupds.length] ?? ""}` }),
      durationSeconds: seconds(),
    });
    const [sdkGet, useCaseGet] = await inProcessPair(
      (i) => container.item(positionId(iupds[i % iupds.length] ?? ""), org).read(),
      (i) => service.get(call(), iupds[i % iupds.length] ?? ""),
      { durationSeconds: seconds() },
    );
    rows.push(
      {
        case: "debt-positions",
        metric: "get req/s",
        subject: hostGet.requestsPerSecond,
        inProcess: useCaseGet.requestsPerSecond,
        baseline: sdkGet.requestsPerSecond,
        unit: "req/s",
        note: `host vs SDK point read; non-2xx ${hostGet.non2xx}`,
      },
      {
        case: "debt-positions",
        metric: "get p99",
        subject: hostGet.p99Ms,
        inProcess: useCaseGet.p99Ms,
        baseline: sdkGet.p99Ms,
        unit: "ms",
      },
    );

    // ---- list: GET page through the host vs the same two queries with the SDK ----
    const where = "c.organizationFiscalCode = @org AND c.kind = 'position'";
    const parameters = [{ name: "@org", value: org }];
    const hostList = await httpLoad({
      url: `${ctx.baseUrl}/organizations/${org}/debtpositions?page=1&limit=50`,
      headers,
      durationSeconds: seconds(),
    });
    const [sdkList, useCaseList] = await inProcessPair(
      () =>
        Promise.all([
          container.items
            .query(
              {
                query: `SELECT * FROM c WHERE ${where} ORDER BY c.companyName DESC, c.id DESC OFFSET 50 LIMIT 50`,
                parameters,
              },
              { partitionKey: org },
            )
            .fetchAll(),
          container.items
            .query({ query: `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, parameters }, { partitionKey: org })
            .fetchAll(),
        ]),
      () => service.list(call(), { page: 1, limit: 50, orderBy: "COMPANY_NAME", ordering: "DESC" }),
      { durationSeconds: seconds() },
    );
    rows.push(
      {
        case: "debt-positions",
        metric: `list req/s (page 2 of ${seeded}+)`,
        subject: hostList.requestsPerSecond,
        inProcess: useCaseList.requestsPerSecond,
        baseline: sdkList.requestsPerSecond,
        unit: "req/s",
        note: `host vs SDK queries; non-2xx ${hostList.non2xx}`,
      },
      {
        case: "debt-positions",
        metric: "list p99",
        subject: hostList.p99Ms,
        inProcess: useCaseList.p99Ms,
        baseline: sdkList.p99Ms,
        unit: "ms",
      },
    );

    // ---- update: PUT through the host vs read + conditional replace with the SDK ----
    const updateTargets = iupds.slice(0, 50);
    const hostUpdate = await httpLoad({
      url: `${ctx.baseUrl}/organizations/${org}/debtpositions/${updateTargets[0] ?? ""}`,
      method: "PUT",
      headers,
      vary: (i) => {
        const iupd = updateTargets[i % updateTargets.length] ?? "";
        return {
          path: `/organizations/${org}/debtpositions/${iupd}`,
          body: body(anInput({ iupd, description: `u${i}` })),
        };
      },
      durationSeconds: seconds(),
    });
    const [sdkUpdate, useCaseUpdate] = await inProcessPair(
      async (i) => {
        // Ten loops over 50 positions collide: a lost race reads again and retries, as the use case does, so both
        // sides count finished updates.
        const item = container.item(positionId(updateTargets[i % updateTargets.length] ?? ""), org);
        for (let attempt = 1; ; attempt += 1) {
          const { resource, etag } = await item.read<Record<string, unknown>>();
          if (resource === undefined) throw new Error("missing");
          try {
            await item.replace(
              { ...resource, companyName: `u${i}` },
              { accessCondition: { type: "IfMatch", condition: etag } },
            );
            return;
          } catch (e) {
            if ((e as { code?: unknown }).code !== 412 || attempt >= 8) throw e;
          }
        }
      },
      (i) => {
        const iupd = updateTargets[i % updateTargets.length] ?? "";
        return service.update(call(), iupd, anInput({ iupd, description: `p${i}` }), false);
      },
      { durationSeconds: seconds() },
    );
    rows.push(
      {
        case: "debt-positions",
        metric: "update req/s",
        subject: hostUpdate.requestsPerSecond,
        inProcess: useCaseUpdate.requestsPerSecond,
        baseline: sdkUpdate.requestsPerSecond,
        unit: "req/s",
        note: `host vs SDK read+replace; non-2xx ${hostUpdate.non2xx}`,
      },
      {
        case: "debt-positions",
        metric: "update p99",
        subject: hostUpdate.p99Ms,
        inProcess: useCaseUpdate.p99Ms,
        baseline: sdkUpdate.p99Ms,
        unit: "ms",
      },
    );
    return rows;
  },
};
