// A bulk create interrupted by a real SIGKILL of the host (docs/adr/0015-crash-safe-bulk-create.md): before any
// recovery, readers see none of its positions; the same request retried creates all of them (201, not 409); an
// interrupted bulk nobody retries is removed by recovery, leaving nothing behind (its held events included).
import type { LocalHost } from "../../local/host-process";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi, registeredIban } from "../support/gpd-client";
import { cosmosClient, startExtraHost, testConfig } from "../support/stack";

const count = 100;
/**
 * Positions of 12 options each: a position and its claims are 26 documents, so the bulk takes some 34 transactional
 * batches (small positions share batches, 25 to one) and a kill can land part-way.
 */
const aLargePosition = () => aPositionBody({ iuvs: Array.from({ length: 12 }, () => aFreshIuv()) });
const container = () => cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);

interface StoredDoc {
  id: string;
  kind: string;
  iupd?: string;
  pendingBulk?: string;
  state?: string;
  createdAt?: string;
}

async function documents(org: string): Promise<StoredDoc[]> {
  const { resources } = await container()
    .items.query<StoredDoc>(
      {
        query:
          "SELECT c.id, c.kind, c.iupd, c.pendingBulk, c.state, c.createdAt FROM c WHERE c.organizationFiscalCode = @org",
        parameters: [{ name: "@org", value: org }],
      },
      { partitionKey: org },
    )
    .fetchAll();
  return resources;
}

/** Starts a bulk on its own host and SIGKILLs the host once part of the bulk is written; returns what was written. */
async function killMidBulk(org: string, key: string, body: unknown): Promise<StoredDoc[]> {
  let host: LocalHost | undefined = await startExtraHost({});
  try {
    const request = fetch(`${host.url}/organizations/${org}/debtpositions/bulk`, {
      method: "POST",
      headers: { "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(
      (r) => r.status,
      () => "hang-up",
    );
    let written = 0;
    for (let i = 0; i < 800 && written < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      written = (await documents(org)).filter((d) => d.kind === "position").length;
    }
    host.child.kill("SIGKILL");
    await new Promise((resolve) => host?.child.once("exit", resolve));
    host = undefined;
    expect(await request).toBe("hang-up");
    return await documents(org);
  } finally {
    await host?.close();
  }
}

describe("a bulk create killed mid-run", () => {
  it("shows none of its positions, and the same request retried creates all of them", async () => {
    const org = aFreshFiscalCode();
    await anOrganization(org, [registeredIban]);
    const { key } = await aKey({ organizations: [org] });
    const body = { paymentPositions: Array.from({ length: count }, aLargePosition) };
    const iupds = body.paymentPositions.map((p) => p.iupd as string);

    const mid = await killMidBulk(org, key, body);
    const positionsWritten = mid.filter((d) => d.kind === "position");
    // Killed part-way (if this fails, the bulk was too fast to be interrupted).
    expect(positionsWritten.length).toBeGreaterThan(0);
    expect(positionsWritten.length).toBeLessThan(count);
    expect(positionsWritten.every((d) => typeof d.pendingBulk === "string")).toBe(true);
    expect(mid.filter((d) => d.kind === "bulk").map((d) => d.state)).toEqual(["pending"]);

    // Readers see nothing of the interrupted bulk: not in the list, not by IUPD.
    const list = await callApi("GET", `/organizations/${org}/debtpositions?limit=100&page=0`, { key });
    expect(list.status).toBe(200);
    expect((list.body as { page_info: { items_found: number } }).page_info.items_found).toBe(0);
    for (const d of positionsWritten.slice(0, 5)) {
      expect((await callApi("GET", `/organizations/${org}/debtpositions/${d.iupd ?? ""}`, { key })).status).toBe(404);
    }

    // The client saw a hang-up and sends the same request again: 201, all of it, no leftovers.
    const retry = await callApi("POST", `/organizations/${org}/debtpositions/bulk`, { key, body });
    expect(retry.status).toBe(201);
    const after = await documents(org);
    expect(
      after
        .filter((d) => d.kind === "position")
        .map((d) => d.iupd ?? "")
        .sort(),
    ).toEqual([...iupds].sort());
    expect(after.filter((d) => d.pendingBulk !== undefined || d.kind === "bulk")).toEqual([]);
    // Each position's creation is announced once: its held outbox document released, none left held.
    expect(after.filter((d) => d.kind === "events-held")).toEqual([]);
    expect(after.filter((d) => d.kind === "events")).toHaveLength(count);
    const listed = await callApi("GET", `/organizations/${org}/debtpositions?limit=100&page=0`, { key });
    expect((listed.body as { page_info: { items_found: number } }).page_info.items_found).toBe(count);
    // And once more: a request that already succeeded is recognised, not a 409.
    expect((await callApi("POST", `/organizations/${org}/debtpositions/bulk`, { key, body })).status).toBe(201);
  }, 120_000);

  it("is removed by recovery when nobody retries it", async () => {
    const org = aFreshFiscalCode();
    await anOrganization(org, [registeredIban]);
    const { key } = await aKey({ organizations: [org] });
    const body = { paymentPositions: Array.from({ length: count }, aLargePosition) };

    const mid = await killMidBulk(org, key, body);
    const marker = mid.find((d) => d.kind === "bulk");
    expect(marker?.state).toBe("pending");
    expect(mid.filter((d) => d.kind === "position").length).toBeLessThan(count);

    // Recovery of bulks not committed by just after this one started (other files' bulks in flight are younger).
    const recovered = await new CosmosDebtPositionRepository(container()).recoverBulks(
      new Date(Date.parse(marker?.createdAt ?? "") + 1),
    );
    expect(recovered.removed).toBeGreaterThanOrEqual(1);
    expect(await documents(org)).toEqual([]);
    // The IUVs are free again: the same bulk now goes through.
    expect((await callApi("POST", `/organizations/${org}/debtpositions/bulk`, { key, body })).status).toBe(201);
  }, 120_000);
});
