// The walk-through of docs/guides/fdr3.md against a local host whose FDR3_BASE_URL points at the FdR-3 stand-in
// (test/support/fdr3-server.ts): a flow published for a paid position makes it REPORTED after ingestFdr3Flows (run with
// POST /admin/functions/ingestFdr3Flows); a new revision that drops the payment makes it PAID again; once the payment
// is back in a third revision, a camt.053 statement crediting the flow's total makes it reconciled and listed
// RECONCILED. Every answer is checked against openapi/*.json.
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { payPaymentOption } from "../../shared/domain/debt-positions/payments";
import { containers } from "../../shared/storage/definition";
import { Fdr3TestServer } from "../support/fdr3-server";
import { aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";
import { aFreshFiscalCode, aKey, organizationRepository } from "../support/keys";
import { expectResponseMatches, type ApiDocumentName } from "../support/openapi";
import { runJobNow } from "../support/jobs";
import { aCamt053 } from "../support/reporting-fixtures";
import { cosmosClient, startExtraHost, testConfig } from "../support/stack";
import { newOrganization } from "../../shared/domain/organizations/organization";

let server: Fdr3TestServer;
let host: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await Fdr3TestServer.start({ subscriptionKey: "stand-in-key" });
  host = await startExtraHost({ FDR3_BASE_URL: server.url, FDR3_SUBSCRIPTION_KEY: "stand-in-key" });
}, 60_000);
afterAll(async () => {
  await host.close();
  await server.close();
});

async function checked(
  doc: ApiDocumentName,
  method: string,
  path: string,
  options: Parameters<typeof callApi>[2] = {},
): Promise<ApiResponse> {
  const r = await callApi(method, path, { ...options, url: host.url });
  expectResponseMatches(doc, method, path, r.status, r.body ?? (r.text === "" ? undefined : r.text), r.contentType);
  return r;
}

async function runJob(name: string): Promise<{ status: string; error?: string }> {
  const started = await fetch(`${host.url}/admin/functions/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ input: "" }),
  });
  expect(started.status).toBe(202);
  const id = started.headers.get("x-invocation-id") ?? "";
  for (let i = 0; i < 600; i += 1) {
    const run = (await (await fetch(`${host.url}/admin/invocations/${id}`)).json()) as {
      status: string;
      error?: string;
    };
    if (run.status !== "running") return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not finish`);
}

describe("FdR-3 reporting and treasury reconciliation through the local host", () => {
  const org = aFreshFiscalCode();
  let key: string;

  beforeAll(async () => {
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: org,
        companyName: `EC ${org}`,
        ibans: [registeredIban],
        fdr3Enabled: true,
        now: new Date(),
      }),
    );
    key = (await aKey({ organizations: [org], products: ["debt-positions", "reporting", "reconciliation", "events"] }))
      .key;
  });

  it("REPORTED after ingestFdr3Flows, PAID again when a revision drops it, reconciled by a camt.053 credit", async () => {
    const body = aPositionBody({ amount: 12_345 });
    const other = aPositionBody({ amount: 655 });
    const iupd = body.iupd as string;
    const iuv = (body.paymentOption as { iuv: string }[])[0]!.iuv;
    const otherIuv = (other.paymentOption as { iuv: string }[])[0]!.iuv;
    for (const b of [body, other]) {
      expect(
        (
          await checked("debt-positions", "POST", `/organizations/${org}/debtpositions?toPublish=true`, {
            key,
            body: b,
          })
        ).status,
      ).toBe(201);
    }
    // Paid as receipt ingestion would: the domain decides, the write is conditional.
    const repo = new CosmosDebtPositionRepository(
      cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions),
    );
    for (const [i, v] of [
      [body.iupd as string, iuv],
      [other.iupd as string, otherIuv],
    ] as const) {
      const stored = await repo.get(org, i);
      const paid = payPaymentOption(
        stored!.value,
        { iuv: v },
        { paymentDate: new Date().toISOString(), pspCompany: "PSP", idReceipt: `R-${v}`, fee: 0 },
        new Date(),
      );
      if (paid.outcome !== "paid") throw new Error("cannot pay");
      await repo.replace(stored!, paid.position);
    }
    const positionPath = `/organizations/${org}/debtpositions/${iupd}`;
    expect((await checked("debt-positions", "GET", positionPath, { key })).body).toMatchObject({ status: "PAID" });

    // 1. Published on FdR-3 → REPORTED.
    const fdr = `2026-03-1288888888888-E${String(Date.now() % 1e8).padStart(8, "0")}`;
    const flow = { organizationId: org, fdr, pspId: "88888888888", fdrDate: "2026-03-12T07:00:00Z" };
    server.publish({
      ...flow,
      payments: [
        { iuv, pay: 123.45 },
        { iuv: otherIuv, pay: 6.55 },
      ],
    });
    expect(await runJob("ingestFdr3Flows")).toMatchObject({ status: "succeeded" });
    expect((await checked("debt-positions", "GET", positionPath, { key })).body).toMatchObject({
      status: "REPORTED",
      paymentOption: [{ status: "PO_REPORTED", idFlowReporting: fdr }],
    });
    const result = await checked("reconciliation", "GET", `/organizations/${org}/reportings/${fdr}/result`, { key });
    expect(result.body).toMatchObject({
      source: "FDR3",
      status: "APPLIED",
      revision: 1,
      entries: 2,
      outcomes: { APPLIED: 2 },
    });
    // The flow is in the flows API as any other, served as JSON (it came from FdR-3), refused as XML only.
    expect(
      (await checked("reporting", "GET", `/organizations/${org}/reportings?flowDate=2026-03-12`, { key })).body,
    ).toEqual([{ flowId: fdr, flowDate: "2026-03-12T07:00:00.000Z" }]);
    const flowPath = `/organizations/${org}/reportings/${fdr}/date/2026-03-12`;
    const asJson = await checked("reporting", "GET", flowPath, { key, headers: { Accept: "application/json" } });
    expect(asJson.body).toMatchObject({ fdr, revision: 1, payments: [{ iuv, pay: 123.45 }, { iuv: otherIuv }] });
    expect((await checked("reporting", "GET", flowPath, { key, headers: { Accept: "application/xml" } })).status).toBe(
      406,
    );

    // 2. Revision 2 drops the payment → PAID again.
    server.publish({ ...flow, payments: [{ iuv: otherIuv, pay: 6.55 }] });
    expect(await runJob("ingestFdr3Flows")).toMatchObject({ status: "succeeded" });
    expect((await checked("debt-positions", "GET", positionPath, { key })).body).toMatchObject({
      status: "PAID",
      paymentOption: [{ status: "PO_PAID" }],
    });
    const second = await checked("reconciliation", "GET", `/organizations/${org}/reportings/${fdr}/result`, { key });
    expect(second.body).toMatchObject({
      revision: 2,
      revisions: [1, 2],
      outcomes: { APPLIED: 1, SUPERSEDED: 1 },
      notApplied: [{ iuv, outcome: "SUPERSEDED" }],
    });

    // 3. Revision 3 reports it again; the treasury credits the flow's total → reconciled, listed RECONCILED.
    server.publish({
      ...flow,
      payments: [
        { iuv, pay: 123.45 },
        { iuv: otherIuv, pay: 6.55 },
      ],
    });
    expect(await runJob("ingestFdr3Flows")).toMatchObject({ status: "succeeded" });
    const camt = aCamt053(
      [
        {
          amount: "130.00",
          remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${fdr}`],
          ref: "BANK-REF-1",
          bookingDate: "2026-03-13",
        },
      ],
      {
        statementId: `STMT-${fdr}`,
      },
    );
    const posted = await checked("reconciliation", "POST", `/organizations/${org}/statements`, {
      key,
      rawBody: camt,
      headers: { "Content-Type": "application/xml" },
    });
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ newCredits: 1, reconciledFlows: [fdr] });
    expect((await checked("debt-positions", "GET", positionPath, { key })).body).toMatchObject({
      status: "REPORTED",
      reconciledDate: "2026-03-13T00:00:00.000Z",
      paymentOption: [{ reconciledDate: "2026-03-13T00:00:00.000Z", reconciliationRef: "BANK-REF-1" }],
    });
    const listed = await checked(
      "reconciliation",
      "GET",
      `/organizations/${org}/reconciliations?from=2026-03-01&to=2026-03-31`,
      { key },
    );
    expect(listed.body).toMatchObject({
      reconciliations: [{ flowId: fdr, expected: 13_000, credited: 13_000, status: "RECONCILED" }],
    });
    // The same statement again changes nothing.
    const again = await checked("reconciliation", "POST", `/organizations/${org}/statements`, {
      key,
      rawBody: camt,
      headers: { "Content-Type": "application/xml" },
    });
    expect(again.body).toMatchObject({ newCredits: 0 });
    // The position's event feed tells the reconciliation once (the host's dispatcher runs on its schedule).
    expect(await runJobNow("dispatchEvents")).toMatchObject({ status: "succeeded" });
    const feed = (await callApi("GET", `/organizations/${org}/events?limit=500`, { key })).body as {
      events: { type: string; subject: string; data: { paymentOptions?: { reconciliationRef?: string }[] } }[];
    };
    const reconciled = feed.events.filter((e) => e.type === "debt-position.reconciled");
    // One event per position the flow reported (this flow reports two), none for the repeated statement.
    expect(reconciled.map((e) => e.subject).sort()).toEqual(
      [...new Set(feed.events.filter((e) => e.type === "debt-position.reported").map((e) => e.subject))].sort(),
    );
    expect(reconciled).toHaveLength(2);
    expect(reconciled.every((e) => e.data.paymentOptions?.every((o) => o.reconciliationRef === "BANK-REF-1"))).toBe(
      true,
    );
  });

  it("answers 4xx ProblemJson for a caller's mistakes", async () => {
    const statements = `/organizations/${org}/statements`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Document>&lol2;</Document>`;
    const hostile = await checked("reconciliation", "POST", statements, {
      key,
      rawBody: laughs,
      headers: { "Content-Type": "application/xml" },
    });
    expect(hostile.status).toBe(400);
    expect(hostile.body).toMatchObject({ detail: expect.stringMatching(/^dtd-forbidden/) as unknown });
    expect((await checked("reconciliation", "POST", statements, { key, body: { not: "xml" } })).status).toBe(415);
    expect(
      (await checked("reconciliation", "GET", `/organizations/${org}/reconciliations?from=2026-13-45`, { key })).status,
    ).toBe(400);
    expect(
      (
        await checked("reconciliation", "GET", `/organizations/${org}/reconciliations?from=2024-01-01&to=2026-01-01`, {
          key,
        })
      ).status,
    ).toBe(400);
    expect(
      (await checked("reconciliation", "GET", `/organizations/${org}/reportings/NOPE/result`, { key })).status,
    ).toBe(404);
    expect(
      (await checked("reconciliation", "GET", `/organizations/${org}/reportings/bad.id/result`, { key })).status,
    ).toBe(400);
  });
});
