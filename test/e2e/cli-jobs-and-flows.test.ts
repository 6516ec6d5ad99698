// The operator CLI as an operator runs it (the compiled `gpd` process) against the test stack: `job run --wait`
// starts a job on the local host and prints how it ended with its summary line; `flows result` tells what a flow
// dropped with `inbox drop` and applied by `ingestReportingFlows` did to each entry, then that a statement reconciled it.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { registeredIban } from "../support/gpd-client";
import { aCamt053, aPaidPosition } from "../support/reporting-fixtures";
import { baseProcessEnv, repositoryRoot, testBaseUrl, testSettings } from "../support/stack";
import { aFlowXml } from "../support/xml-builders";

const run = promisify(execFile);
const cli = path.join(repositoryRoot, "dist/shared/cli/gpd.js");

/** The compiled CLI in an empty folder (no developer's local.settings.json), pointed at the test stack. */
async function gpd(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(path.join(tmpdir(), "gpd-cli-"));
  const env = { ...baseProcessEnv(), ...testSettings(), GPD_HOST_URL: testBaseUrl() ?? "http://127.0.0.1:9" };
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("gpd job run", () => {
  it("--wait prints how the run ended and its summary line", async () => {
    const r = await gpd(["job", "run", "validateDebtPositions", "--wait"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^validateDebtPositions succeeded in \d+ ms \([0-9a-f-]{36}\)$/);
    expect(lines.at(-1)).toMatch(/validate: run finished, \d+ validated/);
  });

  it("--json prints the invocation record; without --wait it prints the run's id at once", async () => {
    const waited = await gpd(["job", "run", "expireDebtPositions", "--wait", "--json"]);
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({
      functionName: "expireDebtPositions",
      status: "succeeded",
      log: expect.arrayContaining([expect.stringMatching(/expire: run finished/)]) as unknown,
    });
    const started = await gpd(["job", "run", "expireDebtPositions"]);
    expect(started.stdout).toMatch(/^started expireDebtPositions \([0-9a-f-]{36}\)$/m);
  });

  it("says which function could not be started, and exits 1", async () => {
    const r = await gpd(["job", "run", "noSuchJob", "--wait"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gpd: noSuchJob was not started: 404/);
  });

  test.each([
    [["job", "run", "--help"], /Usage: gpd job run <name> \[--wait\]/],
    [["flows", "result", "--help"], /Usage: gpd flows result <flowId> \[--org F\]/],
    [["--help"], /job run\s+run a timer or queue function now/],
  ])("helps: %j", async (argv, text) => {
    const r = await gpd(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(text);
  });
});

describe("gpd flows result", () => {
  it("lists what a flow applied and what it could not, then its reconciliation", async () => {
    const org = aFreshFiscalCode();
    await anOrganization(org, [registeredIban]);
    const paid = await aPaidPosition(org, [12_345]);
    const iuv = paid.paymentOption[0]!.iuv;
    const flowId = `2026-03-12PSPTEST01-C${Date.now() % 1e9}`;
    const folder = mkdtempSync(path.join(tmpdir(), "gpd-flow-"));
    writeFileSync(
      path.join(folder, `${flowId}.xml`),
      aFlowXml({
        receiver: org,
        flowId,
        flowDateTime: "2026-03-12T06:00:00Z",
        payments: [
          { iuv, transferIndex: 1, amountCents: 12_345 },
          { iuv: "01999999999999999", transferIndex: 1, amountCents: 100 },
        ],
      }),
    );
    expect((await gpd(["inbox", "drop", "--kind", "flows", folder])).code).toBe(0);

    // Another test may run the same job at the same time and take the file first: wait for the result, bounded.
    const wanted = ["flows", "result", flowId, "--org", org];
    let found = await gpd([...wanted, "--json"]);
    for (let i = 0; i < 40 && !(found.code === 0 && /"processedAt"/.test(found.stdout)); i += 1) {
      expect((await gpd(["job", "run", "ingestReportingFlows", "--wait"])).code).toBe(0);
      found = await gpd([...wanted, "--json"]);
    }
    expect(JSON.parse(found.stdout)).toMatchObject({
      flow: { flowId, organization: org, source: "XML", appliedRevision: 1, totalAmountCents: 12_445 },
      result: { entries: 2, reported: 1, notApplied: 1, unapplied: [{ entry: 2, iuv: "01999999999999999" }] },
    });

    const text = await gpd(wanted);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${flowId}  XML  psp=PSPTEST01  date=2026-03-12  revision 1 applied  `));
    expect(lines[0]).toMatch(/2 payment\(s\), 124\.45 €$/);
    expect(lines[1]).toMatch(/^2 entries: 1 applied, 0 revoked, 1 not applied/);
    expect(lines[2]).toMatch(/^ {2}entry 2 {2}iuv=01999999999999999 {2}transfer=1 {2}iupd=- {2}unknown-iuv/);
    expect(lines.at(-1)).toBe("not reconciled: no credit in a bank statement matches it yet");
    // Without --org: the flow is found by its id alone.
    const byId = await gpd(["flows", "result", flowId]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toBe(text.stdout);

    // A statement crediting the flow's total reconciles it: the CLI then says when and against what.
    const { key } = await aKey({ organizations: [org], products: ["reconciliation"] });
    const statement = await fetch(`${testBaseUrl() ?? ""}/organizations/${org}/statements`, {
      method: "POST",
      headers: { "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/xml" },
      body: aCamt053([
        { amount: "124.45", bookingDate: "2026-03-13", remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${flowId}`] },
      ]),
    });
    expect(statement.status).toBeLessThan(300);
    expect((await gpd(wanted)).stdout.trimEnd().split("\n").at(-1)).toMatch(/^reconciled on 2026-03-13/);
  });

  it("asks for --org when flows of several organizations share the id", async () => {
    const orgs = [aFreshFiscalCode(), aFreshFiscalCode()];
    const flowId = `2026-03-12PSPTEST01-S${Date.now() % 1e9}`;
    const folder = mkdtempSync(path.join(tmpdir(), "gpd-flow-"));
    for (const [i, org] of orgs.entries()) {
      await anOrganization(org, [registeredIban]);
      const payments = [{ iuv: "01999999999999999", transferIndex: 1, amountCents: 100 }];
      const xml = aFlowXml({ receiver: org, flowId, flowDateTime: "2026-03-12T06:00:00Z", payments });
      writeFileSync(path.join(folder, `${i}-${flowId}.xml`), xml);
    }
    expect((await gpd(["inbox", "drop", "--kind", "flows", folder])).code).toBe(0);
    const recorded = async () =>
      (await Promise.all(orgs.map((org) => gpd(["flows", "result", flowId, "--org", org])))).every((r) => r.code === 0);
    for (let i = 0; i < 40 && !(await recorded()); i += 1) {
      expect((await gpd(["job", "run", "ingestReportingFlows", "--wait"])).code).toBe(0);
    }
    const r = await gpd(["flows", "result", flowId]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gpd: flows ${flowId} exist for organizations ${[...orgs].sort().join(", ")}: name one`);
  });

  it("names the flow it cannot find, and exits 1", async () => {
    const r = await gpd(["flows", "result", "2026-01-01PSPTEST01-NONE", "--org", aFreshFiscalCode()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gpd: No reporting flow 2026-01-01PSPTEST01-NONE for organization \d{11}\./);
    const anywhere = await gpd(["flows", "result", "2026-01-01PSPTEST01-NONE"]);
    expect(anywhere.code).toBe(1);
    expect(anywhere.stderr).toMatch(/^gpd: No reporting flow 2026-01-01PSPTEST01-NONE\./);
  });
});
