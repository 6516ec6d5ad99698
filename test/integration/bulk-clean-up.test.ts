// The clean-up of a bulk create (docs/adr/0015-crash-safe-bulk-create.md) against the emulator: from the etags its
// batches answered it clears `pendingBulk`, releases the held outbox and deletes the marker without a query; a
// position updated between the commit and the clean-up (it is visible from the commit on) fails that conditional
// batch, and the clean-up finishes by query instead, keeping the update. The race is made real: a second repository
// updates the position the moment the marker's commit is answered.
import type { Container, Item, PartitionKey } from "@azure/cosmos";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import { containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "../support/builders";
import { aFreshIuv } from "../support/gpd-client";
import { aFreshFiscalCode } from "../support/keys";
import { cosmosClient, testConfig } from "../support/stack";

const container = () => cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);

function positionsOf(org: string, count: number): DebtPosition[] {
  return Array.from({ length: count }, (_, i) => {
    const iuv = aFreshIuv();
    return aDebtPosition({
      organizationFiscalCode: org,
      iupd: `CLEAN-${i}-${iuv}`,
      paymentOption: [
        aPaymentOption({
          iuv,
          nav: `3${iuv}`,
          organizationFiscalCode: org,
          transfer: [aTransfer({ organizationFiscalCode: org })],
        }),
      ],
    });
  });
}

async function documentsOf(org: string) {
  const { resources } = await container()
    .items.query<{ id: string; kind: string; pendingBulk?: string; companyName?: string }>(
      {
        query: "SELECT c.id, c.kind, c.pendingBulk, c.companyName FROM c WHERE c.organizationFiscalCode = @org",
        parameters: [{ name: "@org", value: org }],
      },
      { partitionKey: org },
    )
    .fetchAll();
  return resources;
}

/** The container, except that the marker's commit, once answered, runs `afterCommit` before returning. */
function withRaceAfterCommit(plain: Container, afterCommit: () => Promise<void>): Container {
  return new Proxy(plain, {
    get(target, property) {
      if (property !== "item") return Reflect.get(target, property, target) as unknown;
      return (id: string, partitionKey: PartitionKey): Item => {
        const item = target.item(id, partitionKey);
        if (!id.startsWith("bulk:")) return item;
        return new Proxy(item, {
          get(itemTarget, itemProperty) {
            if (itemProperty !== "replace") return Reflect.get(itemTarget, itemProperty, itemTarget) as unknown;
            return async (...args: Parameters<Item["replace"]>) => {
              const answer = await itemTarget.replace(...args);
              if ((args[0] as { state?: string }).state === "committed") await afterCommit();
              return answer;
            };
          },
        });
      };
    },
  });
}

describe("a bulk create's clean-up", () => {
  it("leaves every position visible and plain, each creation announced once, no marker", async () => {
    const org = aFreshFiscalCode();
    const positions = positionsOf(org, 30);
    await new CosmosDebtPositionRepository(container()).createMany(positions, { bulkId: `b-${org}`, now: new Date() });
    const docs = await documentsOf(org);
    expect(docs.filter((d) => d.kind === "position")).toHaveLength(30);
    expect(docs.filter((d) => d.pendingBulk !== undefined || d.kind === "bulk" || d.kind === "events-held")).toEqual(
      [],
    );
    expect(docs.filter((d) => d.kind === "events")).toHaveLength(30);
  });

  it("finishes by query when a position is updated between the commit and the clean-up, keeping the update", async () => {
    const org = aFreshFiscalCode();
    const positions = positionsOf(org, 30);
    const plain = new CosmosDebtPositionRepository(container());
    const target = positions[7]?.iupd ?? "";
    let raced = false;
    const racing = new CosmosDebtPositionRepository(
      withRaceAfterCommit(container(), async () => {
        const visible = await plain.get(org, target);
        if (visible === undefined) throw new Error("a committed bulk's position must be visible");
        await plain.replace(visible, { ...visible.value, companyName: "Updated meanwhile" });
        raced = true;
      }),
    );
    await racing.createMany(positions, { bulkId: `b-${org}`, now: new Date() });
    expect(raced).toBe(true);

    const docs = await documentsOf(org);
    expect(docs.filter((d) => d.kind === "position")).toHaveLength(30);
    expect(docs.filter((d) => d.pendingBulk !== undefined || d.kind === "bulk" || d.kind === "events-held")).toEqual(
      [],
    );
    expect((await plain.get(org, target))?.value.companyName).toBe("Updated meanwhile");
    // 30 creations and the update.
    expect(docs.filter((d) => d.kind === "events")).toHaveLength(31);
  });
});
