// The worst bodies of at most 1 MiB (docs/adr/0017-hostile-input-limits.md): each is sent to the create (or bulk)
// handler in-process, measuring the CPU time it costs and the longest event-loop stall while it runs, and through
// the local host, measuring the time to the answer. Baseline: the same measurement for a small valid body, so the
// ratio says how much more a hostile body costs than an honest one.
import { HttpRequest, InvocationContext, type HttpHandler, type HttpResponseInit } from "@azure/functions";
import { makeCreateDebtPosition } from "../../functions/debt-positions/create-debt-position";
import { makeCreateDebtPositionsBulk } from "../../functions/debt-positions/create-debt-positions-bulk";
import type { BenchCase, BenchContext, BenchRow } from "../harness";

const MiB = 1024 * 1024;

interface Measured {
  cpuMs: number;
  stallMs: number;
  status: number;
  answerBytes: number;
}

/** Fills `template` with `item` repeated as often as fits in 1 MiB. */
const fill = (prefix: string, item: string, suffix: string): string => {
  const n = Math.floor((MiB - prefix.length - suffix.length) / (item.length + 1));
  return `${prefix}${Array.from({ length: n }, () => item).join(",")}${suffix}`;
};

const position = (options: string) =>
  `{"iupd":"H-1","type":"F","fiscalCode":"RSSMRA80A01H501U","fullName":"M","companyName":"C","paymentOption":[${options}]}`;

const wrongOption =
  '{"iuv":1,"amount":"x","isPartialPayment":3,"dueDate":4,"transfer":[' +
  Array.from({ length: 5 }, () => '{"idTransfer":[],"amount":"x","remittanceInformation":1,"category":2}').join(",") +
  "]}";

function hostileBodies(): { name: string; bulk: boolean; text: string }[] {
  let nested = '"x"';
  const depth = Math.floor((MiB - 200) / 8);
  nested = `${'{"a":'.repeat(depth)}${nested}${"}".repeat(depth)}`;
  const bulkItem = position(Array.from({ length: 49 }, () => wrongOption).join(","));
  return [
    { name: "paymentOption of `{}`", bulk: false, text: fill(position("").slice(0, -2), "{}", "]}") },
    {
      name: "transfer of numbers",
      bulk: false,
      text: fill(
        position('{"iuv":"01","amount":1,"isPartialPayment":false,"dueDate":"2030-01-01T00:00:00Z","transfer":['),
        "1",
        "]}]}",
      ),
    },
    { name: "description nested 1 MiB deep", bulk: false, text: position(`{"iuv":"01","description":${nested}}`) },
    {
      name: "49 options × 5 transfers, all wrong",
      bulk: false,
      text: position(Array.from({ length: 49 }, () => wrongOption).join(",")),
    },
    {
      name: "bulk of wrong positions (≤ 1 MiB)",
      bulk: true,
      text: `{"paymentPositions":[${Array.from({ length: Math.min(100, Math.floor(MiB / (bulkItem.length + 1))) }, () => bulkItem).join(",")}]}`,
    },
  ];
}

/**
 * The longest time the event loop was blocked while the returned function was not yet called: a 1 ms interval timer
 * notes how late each of its ticks comes (what a concurrent request, e.g. GET /info, would have waited).
 */
function stallProbe(): () => Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return async () => {
    // Let a tick that a blocking stretch delayed run and be counted.
    await new Promise((resolve) => setTimeout(resolve, 5));
    clearInterval(timer);
    return Math.max(0, longest - 1);
  };
}

async function measure(handler: HttpHandler, url: string, key: string, text: string): Promise<Measured> {
  const request = new HttpRequest({
    method: "POST",
    url,
    headers: { "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/json" },
    body: { string: text },
  });
  const stall = stallProbe();
  const cpu = process.cpuUsage();
  const response = (await handler(
    request,
    new InvocationContext({ functionName: "bench", logHandler: () => undefined }),
  )) as HttpResponseInit;
  const used = process.cpuUsage(cpu);
  const stallMs = await stall();
  return {
    cpuMs: (used.user + used.system) / 1000,
    stallMs,
    status: response.status ?? 200,
    answerBytes: JSON.stringify(response.jsonBody ?? "").length,
  };
}

async function overHttp(url: string, key: string, text: string): Promise<{ ms: number; status: number | string }> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/json" },
      body: text,
    });
    await response.text();
    return { ms: performance.now() - started, status: response.status };
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    return { ms: performance.now() - started, status: `connection failed (${cause})` };
  }
}

export const hostileBodiesBench: BenchCase = {
  name: "hostile-bodies",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const { fiscalCode: org, key } = await ctx.freshOrganization();
    const positions = { http: ctx.deps.http, service: ctx.deps.debtPositionService };
    const create = makeCreateDebtPosition(positions);
    const bulk = makeCreateDebtPositionsBulk(positions);
    const path = `/organizations/${org}/debtpositions`;
    const valid = JSON.stringify({
      iupd: "BENCH-VALID",
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "Mario Rossi",
      companyName: "Comune",
      paymentOption: [
        {
          iuv: "01000000000000099",
          amount: 100,
          isPartialPayment: false,
          dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          transfer: [
            {
              idTransfer: "1",
              amount: 100,
              remittanceInformation: "r",
              category: "9/0101108TS/",
              iban: "IT60X0542811101000000123456",
            },
          ],
        },
      ],
    });
    // Warm-up: the key lookup and the organization cache, so both sides measure only the request.
    await measure(create, `${ctx.baseUrl}${path}`, key, "{}");
    const baseline = await measure(create, `${ctx.baseUrl}${path}`, key, valid);
    await overHttp(`${ctx.baseUrl}${path}`, key, "{}");
    const baselineHttp = await overHttp(
      `${ctx.baseUrl}${path}`,
      key,
      valid.replace("BENCH-VALID", "BENCH-VALID-2").replace("099", "098"),
    );
    const rows: BenchRow[] = [];
    let worstCpu = 0;
    let worstStall = 0;
    for (const body of hostileBodies()) {
      if (Buffer.byteLength(body.text) > MiB) throw new Error(`${body.name} is over 1 MiB`);
      const url = `${ctx.baseUrl}${path}${body.bulk ? "/bulk" : ""}`;
      const inProcess = await measure(body.bulk ? bulk : create, url, key, body.text);
      const http = await overHttp(url, key, body.text);
      worstCpu = Math.max(worstCpu, inProcess.cpuMs);
      worstStall = Math.max(worstStall, inProcess.stallMs);
      rows.push(
        {
          case: "hostile-bodies",
          metric: `${body.name}: CPU`,
          subject: inProcess.cpuMs,
          baseline: baseline.cpuMs,
          unit: "ms",
          note: `${(Buffer.byteLength(body.text) / 1024).toFixed(0)} KiB → ${inProcess.status}, answer ${inProcess.answerBytes} B`,
        },
        {
          case: "hostile-bodies",
          metric: `${body.name}: event-loop stall`,
          subject: inProcess.stallMs,
          baseline: baseline.stallMs,
          unit: "ms",
        },
        {
          case: "hostile-bodies",
          metric: `${body.name}: through the host`,
          subject: http.ms,
          baseline: baselineHttp.ms,
          unit: "ms",
          note: `status ${http.status}`,
        },
      );
    }
    rows.push(
      {
        case: "hostile-bodies",
        metric: "worst body ≤ 1 MiB: CPU",
        subject: worstCpu,
        baseline: baseline.cpuMs,
        unit: "ms",
      },
      {
        case: "hostile-bodies",
        metric: "worst body ≤ 1 MiB: event-loop stall",
        subject: worstStall,
        baseline: baseline.stallMs,
        unit: "ms",
      },
    );
    return rows;
  },
};
