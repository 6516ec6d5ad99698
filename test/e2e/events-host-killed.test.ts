// A host SIGKILLed while it delivers webhook events: the delivery it was making never gets its answer, the webhook's
// lease lapses, the dispatcher's sweep wakes the webhook and another host delivers the rest. Nothing is lost and the
// order per position holds (a delivery cut by the kill may arrive twice: at-least-once, docs/adr/0042). Both hosts run
// on a stack of their own (test/support/isolated-stack.ts), so the cut delivery is always the killed host's.
import type { LocalHost } from "../../local/host-process";
import { aFreshIuv, aPositionBody, callApi, registeredIban } from "../support/gpd-client";
import { startIsolatedStack, type IsolatedStack } from "../support/isolated-stack";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
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
  let stack: IsolatedStack | undefined;
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it("loses nothing: another host delivers the rest, in order, once the lease lapses", async () => {
    const own = await startIsolatedStack();
    stack = own;
    const org = aFreshFiscalCode();
    await anOrganization(org, [registeredIban], [], { database: own.database });
    const key = (await aKey({ organizations: [org], products: ["debt-positions", "events"], database: own.database }))
      .key;
    const r = await startReceiver();
    receiver = r;
    r.delayMs = 400;

    let killed: LocalHost | undefined = await own.startHost({ LOCAL_QUEUE_HOLD_SECONDS: "3" });
    const url = killed.url;
    const created = await callApi("POST", `/organizations/${org}/webhooks`, {
      key,
      url,
      body: { url: r.url, types: ["debt-position.created", "debt-position.updated"] },
    });
    expect(created.status).toBe(201);
    r.setSecret((created.body as { secret: string }).secret);
    for (let i = 0; i < 4; i += 1) {
      const body = aPositionBody({ iuvs: [aFreshIuv()] });
      expect((await callApi("POST", `/organizations/${org}/debtpositions`, { key, body, url })).status).toBe(201);
      const iupd = body.iupd as string;
      const update = { ...body, companyName: "Altro" };
      expect(
        (await callApi("PUT", `/organizations/${org}/debtpositions/${iupd}`, { key, url, body: update })).status,
      ).toBe(200);
    }
    // Kill while a delivery is in flight (the receiver holds each one 400 ms).
    await until(() => r.inFlight > 0, 60_000);
    killed.child.kill("SIGKILL");
    await new Promise((resolve) => killed?.child.once("exit", resolve));
    killed = undefined;
    await new Promise((resolve) => setTimeout(resolve, r.delayMs + 200));
    expect(r.aborted).toBeGreaterThan(0);

    // Another host finishes: every event of the feed arrives, first arrivals in feed order.
    r.delayMs = 0;
    const survivor = await own.startHost({ LOCAL_QUEUE_HOLD_SECONDS: "3" });
    const feedIds = async () =>
      (
        (await callApi("GET", `/organizations/${org}/events?limit=500`, { key, url: survivor.url })).body as {
          events: { id: string; type: string }[];
        }
      ).events
        .filter((e) => e.type === "debt-position.created" || e.type === "debt-position.updated")
        .map((e) => e.id);
    const firstArrivals = () => [...new Set(r.accepted.map((e) => e.id))];
    // Four creates and four updates.
    await until(async () => (await feedIds()).length === 8 && firstArrivals().length >= 8, 180_000);
    expect(firstArrivals()).toEqual(await feedIds());
  });
});
