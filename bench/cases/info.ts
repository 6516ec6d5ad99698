// GET /info through the local host against the very same handler called in-process: the cost of the host, the
// HTTP hop and the library's request/response conversion, with the key check warm in both.
import { HttpRequest, InvocationContext } from "@azure/functions";
import { makeGetInfo } from "../../functions/info/get-info";
import { countRoundTrips, httpLoad, inProcessLoad, type BenchCase } from "../harness";

const seconds = () => Number(process.env.BENCH_SECONDS ?? "4");

export const infoBench: BenchCase = {
  name: "info",
  async run(ctx) {
    const handler = makeGetInfo({ http: ctx.deps.http, app: ctx.config.app });
    const call = async () => {
      const response = await handler(
        new HttpRequest({
          method: "GET",
          url: `${ctx.baseUrl}/info`,
          headers: { "Ocp-Apim-Subscription-Key": ctx.key },
        }),
        new InvocationContext({ functionName: "getInfo", logHandler: () => undefined }),
      );
      if (response.status !== 200) throw new Error(`status ${String(response.status)}`);
    };
    await call();
    const trips = await countRoundTrips(ctx.roundTrips, call);
    const host = await httpLoad({
      url: `${ctx.baseUrl}/info`,
      headers: { "Ocp-Apim-Subscription-Key": ctx.key },
      durationSeconds: seconds(),
    });
    const inProcess = await inProcessLoad(call, { durationSeconds: seconds() });
    return [
      {
        case: "info",
        metric: "req/s",
        subject: host.requestsPerSecond,
        baseline: inProcess.requestsPerSecond,
        unit: "req/s",
        note: "host vs handler in-process",
      },
      {
        case: "info",
        metric: "p99",
        subject: host.p99Ms,
        baseline: inProcess.p99Ms,
        unit: "ms",
        note: `non-2xx ${host.non2xx}`,
      },
      { case: "info", metric: "Cosmos round trips / request (warm key)", subject: trips, unit: "calls" },
    ];
  },
};
