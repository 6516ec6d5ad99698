// The webhook use cases for `gpd webhook …`, built from the same adapters as the app. The CLI acts for the
// organization it names, with every segregation code (an operator, not a limited key).
import type { Database } from "@azure/cosmos";
import { createQueueServiceClient } from "../adapters/azure-clients";
import { CosmosEventLog } from "../adapters/cosmos/cosmos-event-log";
import { CosmosWebhookRepository } from "../adapters/cosmos/cosmos-webhook-repository";
import { HttpWebhookSender } from "../adapters/http/webhook-sender";
import { StorageQueue } from "../adapters/queue/storage-queue";
import { WebhookService } from "../application/webhook-service";
import type { Config } from "../config/config";
import type { DeliveryWork } from "../domain/events/ports";
import { containers, queues } from "../storage/definition";
import type { CliWebhooks } from "./commands";

export function webhooksForCli(config: Config, database: Database): CliWebhooks {
  const policy = { allowLocalhost: config.events.allowLocalhost };
  const service = new WebhookService({
    events: new CosmosEventLog(database.container(containers.debtpositions)),
    webhooks: new CosmosWebhookRepository(database.container(containers.webhooks)),
    queue: new StorageQueue<DeliveryWork>(
      createQueueServiceClient(config).getQueueClient(queues["webhook-deliveries"]),
    ),
    sender: new HttpWebhookSender({ ...policy, timeoutMs: 10_000, userAgent: "gpd-cli" }),
    urlPolicy: policy,
  });
  const ctx = (org: string) => ({
    organizationFiscalCode: org,
    caller: { subscriptionName: "gpd-cli", organizations: [org], products: ["events" as const] },
    now: new Date(),
  });
  return {
    create: (org, input) => service.create(ctx(org), input),
    list: (org) => service.list(ctx(org)),
    delete: (org, id) => service.delete(ctx(org), id),
  };
}
