// Store outages (docs/adr/0016-store-outages-and-ambiguous-writes.md): with Cosmos frozen (SIGSTOP) or down (SIGKILL)
// every request answers 503 ProblemJson with Retry-After within the configured deadline, never 500 and never a
// minute-long hang; a create interrupted by the outage and retried with the same body is recognised (201, not 409).
// This file runs its own Cosmos emulator process and host, so freezing it disturbs no other test.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { LocalHost } from "../../local/host-process";
import { freePort, waitForPort } from "../../local/processes";
import { createBlobServiceClient, createCosmosClient } from "../../shared/adapters/azure-clients";
import { CosmosOrganizationRepository } from "../../shared/adapters/cosmos/cosmos-organization-repository";
import { CosmosSubscriptionRepository } from "../../shared/adapters/cosmos/cosmos-subscription-repository";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { generateKey, newSubscription } from "../../shared/domain/subscriptions/subscription";
import { bootstrapStorage } from "../../local/bootstrap-storage";
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode } from "../support/keys";
import { aPositionBody, callApi, registeredIban } from "../support/gpd-client";
import { repositoryRoot, startExtraHost, testConfig } from "../support/stack";

let emulator: ChildProcess | undefined;
let host: LocalHost | undefined;

afterAll(async () => {
  await host?.close();
  if (emulator && emulator.exitCode === null && emulator.signalCode === null) {
    emulator.kill("SIGCONT");
    emulator.kill("SIGKILL");
  }
});

async function aKeyIn(subscriptions: CosmosSubscriptionRepository, org: string): Promise<string> {
  const key = generateKey();
  const name = `outage-${process.pid}-${Date.now()}-${Math.random()}`;
  await subscriptions.create(newSubscription({ key, name, organizations: [org], environment: "UAT", now: new Date() }));
  return key;
}

const expect503 = (r: { status: number; contentType: string | null; body: unknown }, retryAfter: string | null) => {
  expect(r.status).toBe(503);
  expect(r.contentType).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status: 503, title: "Service Unavailable" });
  expect(Number(retryAfter)).toBeGreaterThan(0);
};

async function call(method: string, url: string, key: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    retryAfter: response.headers.get("retry-after"),
    body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
  };
}

describe("store outages", () => {
  it("answers 503 with Retry-After when Cosmos is frozen or down, and recognises a retried create", async () => {
    const port = await freePort();
    emulator = spawn(
      process.execPath,
      [path.join(repositoryRoot, "dist/local/cosmos-main.js"), "--port", String(port)],
      {
        stdio: "ignore",
      },
    );
    await waitForPort("127.0.0.1", port, { timeoutMs: 30_000, child: emulator, name: "cosmos emulator" });
    const endpoint = `http://127.0.0.1:${port}`;
    const config = testConfig({ COSMOS_ENDPOINT: endpoint });
    const cosmos = createCosmosClient(config);
    await bootstrapStorage({
      cosmos,
      blobService: createBlobServiceClient(config),
      databaseId: config.cosmos.database,
    });
    const database = cosmos.database(config.cosmos.database);
    const org = aFreshFiscalCode();
    await new CosmosOrganizationRepository(database.container(containers.organizations)).upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "EC",
        ibans: [registeredIban],
        postalIbans: [],
        now: new Date(),
      }),
    );
    const subscriptions = new CosmosSubscriptionRepository(database.container(containers.subscriptions));
    const key = await aKeyIn(subscriptions, org);
    const unseenKey = await aKeyIn(subscriptions, org);

    // No queue work: its Cosmos is not the suite's (support/stack.ts, queueFunctions).
    host = await startExtraHost({
      COSMOS_ENDPOINT: endpoint,
      COSMOS_REQUEST_TIMEOUT_MS: "1500",
      HTTP_REQUEST_DEADLINE_MS: "4000",
    });
    const positions = `${host.url}/organizations/${org}/debtpositions`;
    const created = aPositionBody();
    expect((await call("POST", positions, key, created)).status).toBe(201);
    const get = () => call("GET", `${positions}/${created.iupd as string}`, key);
    expect((await get()).status).toBe(200);

    // Frozen: the process is stopped, connections hang.
    emulator.kill("SIGSTOP");
    const frozenGet = await get();
    expect503(frozenGet, frozenGet.retryAfter);
    const interrupted = aPositionBody();
    const frozenCreate = await call("POST", positions, key, interrupted);
    if (frozenCreate.status !== 503) process.stdout.write(host.output().slice(-5000));
    expect503(frozenCreate, frozenCreate.retryAfter);
    // A key the app has not cached yet needs the store too: 503, not 401.
    const newKey = await call("GET", `${positions}/${created.iupd as string}`, unseenKey);
    expect503(newKey, newKey.retryAfter);

    // Back: the interrupted create may or may not have been written while frozen; the same body retried is 201
    // either way, and a different body under the same IUPD is still someone else's conflict.
    emulator.kill("SIGCONT");
    const retried = await callApi("POST", `/organizations/${org}/debtpositions`, {
      key,
      body: interrupted,
      url: host.url,
    });
    expect(retried.status).toBe(201);
    const again = await callApi("POST", `/organizations/${org}/debtpositions`, {
      key,
      body: interrupted,
      url: host.url,
    });
    expect(again.status).toBe(201);
    const other = { ...aPositionBody(), iupd: interrupted.iupd };
    expect(
      (await callApi("POST", `/organizations/${org}/debtpositions`, { key, body: other, url: host.url })).status,
    ).toBe(409);

    // Down: nothing listens any more.
    emulator.kill("SIGKILL");
    await new Promise((resolve) => emulator?.once("exit", resolve));
    const downGet = await get();
    expect503(downGet, downGet.retryAfter);
    const downList = await call("GET", `${positions}?page=0`, key);
    expect503(downList, downList.retryAfter);
  }, 120_000);
});
