// A massive upload whose worker host is SIGKILLed while it applies chunks: the chunks it held come back after the
// hold time (LOCAL_QUEUE_HOLD_SECONDS, shortened for these hosts) and another host finishes them. The upload ends
// COMPLETED with every position created exactly once, nothing left pending under a bulk, and each creation announced
// once (docs/adr/0050-massive-upload.md, 0015 for the bulk writes, 0040 for the events). Both hosts run on a stack of
// their own (test/support/isolated-stack.ts): no other host takes the file's chunks, and the killed one takes no one
// else's.
import type { Container } from "@azure/cosmos";
import type { LocalHost } from "../../local/host-process";
import { aFreshIuv, aPositionBody, callApi } from "../support/gpd-client";
import { startIsolatedStack, type IsolatedStack } from "../support/isolated-stack";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aZip, upload, waitForUpload } from "../support/uploads";

jest.setTimeout(600_000);

const count = 1000;
const iban = "IT60X0542811101000000123456";
const hold = { LOCAL_QUEUE_HOLD_SECONDS: "3" };

let stack: IsolatedStack | undefined;
afterAll(async () => {
  await stack?.close();
});

async function kinds(container: Container, org: string): Promise<{ kind: string; pendingBulk?: string }[]> {
  const { resources } = await container.items
    .query<{ kind: string; pendingBulk?: string }>(
      {
        query: "SELECT c.kind, c.pendingBulk FROM c WHERE c.organizationFiscalCode = @org",
        parameters: [{ name: "@org", value: org }],
      },
      { partitionKey: org },
    )
    .fetchAll();
  return resources;
}

describe("a massive upload whose worker is killed mid-file", () => {
  it("is finished by another host: every position created once, announced once, nothing left pending", async () => {
    const own = await startIsolatedStack();
    stack = own;
    const positions = own.container("debtpositions");
    const org = aFreshFiscalCode();
    const broker = aFreshFiscalCode();
    await anOrganization(org, [iban], [], { brokerCode: broker, database: own.database });
    const key = (await aKey({ organizations: [org], products: ["debt-positions"], database: own.database })).key;
    const prefix = `KILL-${Date.now()}`;
    const bodies = Array.from({ length: count }, (_, i) =>
      aPositionBody({ iupd: `${prefix}-${i}`, iuvs: [aFreshIuv()] }),
    );

    let host: LocalHost | undefined = await own.startHost(hold);
    let location: string;
    let writtenAtKill: number;
    try {
      const submitted = await upload(
        "POST",
        broker,
        org,
        key,
        aZip({ "positions.json": JSON.stringify({ paymentPositions: bodies }) }),
        { url: host.url },
      );
      expect(submitted.status).toBe(202);
      location = submitted.location ?? "";
      writtenAtKill = 0;
      for (let i = 0; i < 3000 && writtenAtKill < count / 10; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        writtenAtKill = (await kinds(positions, org)).filter((d) => d.kind === "position").length;
      }
      host.child.kill("SIGKILL");
      await new Promise((resolve) => host?.child.once("exit", resolve));
      host = undefined;
    } finally {
      await host?.close();
    }
    // Killed part-way (if this fails, the file was applied before the kill).
    expect(writtenAtKill).toBeGreaterThan(0);
    expect(writtenAtKill).toBeLessThan(count);

    // A second host takes the messages once they are visible again.
    const { url } = await own.startHost(hold);
    const done = await waitForUpload(location, key, { timeoutMs: 480_000, url });
    expect(done).toMatchObject({ processedItem: count, submittedItem: count, operationStatus: "COMPLETED" });
    const report = (await callApi("GET", location.replace(/\/status$/, "/report"), { key, url })).body as {
      responses: { statusCode: number; requestIDs: string[] }[];
    };
    expect(report.responses.map((r) => [r.statusCode, r.requestIDs.length])).toEqual([[201, count]]);

    const docs = await kinds(positions, org);
    expect(docs.filter((d) => d.kind === "position")).toHaveLength(count);
    expect(docs.filter((d) => d.pendingBulk !== undefined || d.kind === "bulk" || d.kind === "events-held")).toEqual(
      [],
    );
    expect(docs.filter((d) => d.kind === "events")).toHaveLength(count);
    const listed = await callApi("GET", `/organizations/${org}/debtpositions?limit=1&page=0`, { key, url });
    expect((listed.body as { page_info: { total_pages: number } }).page_info.total_pages).toBe(count);
  });
});
