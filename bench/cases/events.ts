// Bench case of the events feature (docs/adr/0040, 0042), side by side in one run:
//  - events delivered per second by the delivery use case (feed read, Standard Webhooks signing, HTTP POST, progress
//    and delivery records saved in Cosmos) to a local receiver, against plain HTTP POSTs of the same bodies to the
//    same receiver, one at a time like a webhook's ordered delivery;
//  - what the outbox adds to a state change: Cosmos round trips of a repository write (outbox included) against the
//    same batch without the outbox document, and the bytes the batch writes.
// The bench drives the dispatcher and the deliveries itself (a queue that drops messages), so the host's own
// trigger cannot take them.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { claimDocuments, toDocument } from "../../shared/adapters/cosmos/debt-position-document";
import { outboxOf } from "../../shared/adapters/cosmos/event-document";
import { dispatchEvents } from "../../shared/application/event-dispatch";
import { deliverWebhook, deliveryBody } from "../../shared/application/webhook-delivery";
import { eventTypes } from "../../shared/domain/events/events";
import type { DeliveryQueue } from "../../shared/domain/events/ports";
import { silentLogger as silent } from "../../shared/logging/logger";
import { containers } from "../../shared/storage/definition";
import { countRoundTrips, type BenchCase, type BenchContext, type BenchRow } from "../harness";
import { aBenchPosition } from "../positions";

const droppingQueue: DeliveryQueue = { enqueue: () => Promise.resolve() };

async function startSink(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received += 1;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    received: () => received,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

function post(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

export const eventsBench: BenchCase = {
  name: "events",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const { fiscalCode: org } = await ctx.freshOrganization();
    const run = String(Date.now()).slice(-8);
    const count = Math.max(10, Math.round(150 * ctx.scale));
    const at = new Date().toISOString();
    const sink = await startSink();
    try {
      // ---- extra Cosmos cost of the outbox on one state change ----------------------------------------------------
      const repo = ctx.deps.debtPositions;
      const probe = aBenchPosition(org, `02${run}9999999`, at, { iupdPrefix: "BENCH-EV-", publishDate: at });
      await repo.create(probe);
      const stored = await repo.get(org, probe.iupd);
      if (stored === undefined) throw new Error("events bench: probe position vanished");
      const next = { ...stored.value, status: "INVALID" as const, lastUpdatedDate: new Date().toISOString() };
      const subjectTrips = await countRoundTrips(ctx.roundTrips, () => repo.replace(stored, next));
      // The same write without the outbox document, straight through the SDK on the same (counted) client.
      const container = ctx.deps.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
      const plain = { ...toDocument(next), id: `position:${next.iupd}-plain` };
      const baselineTrips = await countRoundTrips(ctx.roundTrips, () =>
        container.items.batch([{ operationType: "Create", resourceBody: plain }], org),
      );
      rows.push({
        case: "events",
        metric: "Cosmos round trips per state change (outbox in the batch vs none)",
        subject: subjectTrips,
        baseline: baselineTrips,
        unit: "round trips",
        note: "the outbox is one more operation inside the write's own batch",
      });
      const outbox = outboxOf(stored, next, new Date());
      const outboxBytes = outbox.operations.reduce(
        (n, o) => n + JSON.stringify((o as { resourceBody?: unknown }).resourceBody ?? {}).length,
        0,
      );
      const positionBytes = JSON.stringify(toDocument(next)).length;
      rows.push({
        case: "events",
        metric: "bytes written per state change (invalidate: position + outbox vs position)",
        subject: positionBytes + outboxBytes,
        baseline: positionBytes,
        unit: "bytes",
        note: `${claimDocuments(next).length} claim documents untouched; outbox ${outboxBytes} B`,
      });

      // ---- delivery throughput ---------------------------------------------------------------------------------
      const webhook = await ctx.deps.webhookService.create(
        {
          organizationFiscalCode: org,
          caller: { subscriptionName: "bench", organizations: [org], products: ["events"] },
          now: new Date(),
        },
        { url: sink.url, types: [...eventTypes] },
      );
      const iuvs = Array.from({ length: count }, (_, i) => `01${run}${String(i).padStart(7, "0")}`);
      for (let i = 0; i < iuvs.length; i += 25) {
        await Promise.all(
          iuvs
            .slice(i, i + 25)
            .map((iuv) => repo.create(aBenchPosition(org, iuv, at, { iupdPrefix: "BENCH-EV-", publishDate: at }))),
        );
      }
      const dispatchStarted = performance.now();
      await dispatchEvents({
        events: ctx.deps.events,
        webhooks: ctx.deps.webhooks,
        queue: droppingQueue,
        clock: () => new Date(),
        log: silent,
      });
      const dispatchSeconds = (performance.now() - dispatchStarted) / 1000;
      const feed = await ctx.deps.events.after(org, webhook.cursor, 10_000);
      const total = feed.length;
      rows.push({
        case: "events",
        metric: "events sequenced per second by the dispatcher",
        subject: Math.round(total / dispatchSeconds),
        unit: "events/s",
        note: `${total} events, ${Math.ceil(total / 3 / 99)}+ batches`,
      });

      const before = sink.received();
      const started = performance.now();
      const work = { organizationFiscalCode: org, webhookId: webhook.id };
      for (let i = 0; i < 1000; i += 1) {
        const outcome = await deliverWebhook(
          {
            events: ctx.deps.events,
            webhooks: ctx.deps.webhooks,
            queue: droppingQueue,
            sender: ctx.deps.webhookSender,
            clock: () => new Date(),
            random: Math.random,
            log: silent,
            retrySchedule: ctx.config.events.retrySchedule,
            budgetMs: 600_000,
          },
          work,
        );
        if (outcome.outcome === "idle") break;
      }
      const subjectSeconds = (performance.now() - started) / 1000;
      const delivered = sink.received() - before;
      if (delivered < total) throw new Error(`events bench: ${delivered}/${total} delivered`);

      const agent = new http.Agent({ keepAlive: true });
      const bodies = feed.map(deliveryBody);
      const baselineStarted = performance.now();
      for (const body of bodies) await post(agent, sink.url, body);
      const baselineSeconds = (performance.now() - baselineStarted) / 1000;
      agent.destroy();
      rows.push({
        case: "events",
        metric: "events delivered per second to a local receiver (in order, one at a time)",
        subject: Math.round(total / subjectSeconds),
        baseline: Math.round(total / baselineSeconds),
        unit: "events/s",
        note: `baseline: plain POSTs of the same ${total} bodies; subject signs, reads the feed, saves progress`,
      });
    } finally {
      await sink.close();
    }
    return rows;
  },
};
