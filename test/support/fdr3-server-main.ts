// `npm run fdr3:stand-in`: the FdR-3 stand-in of test/support/fdr3-server.ts on a fixed port, for the local
// walk-through (docs/guides/fdr3.md). Flows are published by POSTing a FlowSpec as JSON to /_publish (this entry point
// only; the stand-in's FdR-3 operations are the contract's GETs).
import { createServer } from "node:http";
import { Fdr3TestServer, type FlowSpec } from "./fdr3-server";

async function main(): Promise<void> {
  const port = Number(process.env.FDR3_STAND_IN_PORT ?? "7090");
  const control = Number(process.env.FDR3_STAND_IN_CONTROL_PORT ?? String(port + 1));
  const server = await Fdr3TestServer.start({ port, subscriptionKey: process.env.FDR3_SUBSCRIPTION_KEY || undefined });
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        if (req.method !== "POST" || req.url !== "/_publish") throw new Error("POST /_publish with a FlowSpec");
        const published = server.publish(JSON.parse(Buffer.concat(chunks).toString("utf8")) as FlowSpec);
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(published));
      } catch (e) {
        res.writeHead(400, { "Content-Type": "text/plain" }).end(e instanceof Error ? e.message : String(e));
      }
    });
  }).listen(control, "127.0.0.1");
  process.stdout.write(`FdR-3 stand-in on ${server.url} (publish flows: POST http://127.0.0.1:${control}/_publish)\n`);
}

void main();
