// A host SIGKILLed while it delivers webhook events: the delivery it was making never gets its answer, the webhook's
// lease lapses, the dispatcher's sweep wakes the webhook and another host delivers the rest. Nothing is lost and the
// order per position holds (a delivery cut by the kill may arrive twice: at-least-once, docs/adr/0042). The suite's
// own host is paused while the killed one works, so the cut delivery is the killed host's.
import { startLocalHost, type LocalHost } from "../../local/host-process";
import { freePort } from "../../local/processes";
import { aFreshIuv, aPositionBody, callApi, registeredIban } from "../support/gpd-client";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { baseProcessEnv, repositoryRoot, testHostPid, testSettings } from "../support/stack";
import { startReceiver, type TestReceiver } from "../support/webhook-receiver";

jest.setTimeout(300_000);

async function until(done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a host killed mid-delivery", () => {
  let receiver: TestReceiver | undefined;
  let host: LocalHost | undefined;
  afterAll(async () => {
    await host?.close();
    await receiver?.close();
  });

  it("loses nothing: another host delivers the rest, in order, once the lease lapses", async () => {
    const org = aFreshFiscalCode();
    await anOrganization(org, [registeredIban]);
    const key = (await aKey({ organizations: [org], products: ["debt-positions", "events"] })).key;
    const r = await startReceiver();
    receiver = r;
    r.delayMs = 400;
    const created = await callApi("POST", `/organizations/${org}/webhooks`, {
      key,
      body: { url: r.url, types: ["debt-position.created", "debt-position.updated"] },
    });
    expect(created.status).toBe(201);
    r.setSecret((created.body as { secret: string }).secret);

    // Both this host and the suite's poll the same delivery queue: the suite's host is paused (SIGSTOP) while this
    // one works, so that the delivery the kill cuts is this host's (other suites' requests wait those seconds).
    const suiteHost = testHostPid();
    if (suiteHost === undefined) throw new Error("the suite's host is not running");
    process.kill(suiteHost, "SIGSTOP");
    try {
      await killMidDelivery();
    } finally {
      process.kill(suiteHost, "SIGCONT");
    }
    expect(r.aborted).toBeGreaterThan(0);

    async function killMidDelivery() {
      host = await startLocalHost({
        root: repositoryRoot,
        port: await freePort(),
        env: { ...baseProcessEnv(), ...testSettings(), LOCAL_QUEUE_HOLD_SECONDS: "3" },
        stdio: "capture",
      });
      const url = host.url;
      for (let i = 0; i < 4; i += 1) {
        const body = aPositionBody({ iuvs: [aFreshIuv()] });
        expect((await callApi("POST", `/organizations/${org}/debtpositions`, { key, body, url })).status).toBe(201);
        const iupd = body.iupd as string;
        expect(
          (
            await callApi("PUT", `/organizations/${org}/debtpositions/${iupd}`, {
              key,
              url,
              body: { ...body, companyName: "Altro" },
            })
          ).status,
        ).toBe(200);
      }
      // Kill while a delivery is in flight (the receiver holds each one 400 ms).
      await until(() => r.inFlight > 0, 60_000);
      host.child.kill("SIGKILL");
      await new Promise((resolve) => host?.child.once("exit", resolve));
      host = undefined;
      await new Promise((resolve) => setTimeout(resolve, r.delayMs + 200));
    }

    // The suite's host finishes: every event of the feed arrives, first arrivals in feed order.
    r.delayMs = 0;
    const feedIds = async () =>
      (
        (await callApi("GET", `/organizations/${org}/events?limit=500`, { key })).body as {
          events: { id: string; type: string }[];
        }
      ).events
        .filter((e) => e.type === "debt-position.created" || e.type === "debt-position.updated")
        .map((e) => e.id);
    const firstArrivals = () => [...new Set(r.accepted.map((e) => e.id))];
    await until(async () => firstArrivals().length >= (await feedIds()).length, 180_000);
    expect(firstArrivals()).toEqual(await feedIds());
  });
});
