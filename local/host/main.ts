// CLI entry of the local Functions host (what `func start` would be): the parent process passes the app settings in
// the environment. Usage: node dist/local/host/main.js [--port 7071] [--host 127.0.0.1] [--app dist/functions/index.js]
// [--host-json host.json]
import { startHost, type HostFunction } from "./host";

interface CliOptions {
  port: number;
  host: string | undefined;
  app: string;
  hostJson: string;
}

function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: 7071, host: undefined, app: "dist/functions/index.js", hostJson: "host.json" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`Missing value after ${flag ?? ""}`);
    switch (flag) {
      case "--port": {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port ${value}`);
        options.port = port;
        break;
      }
      case "--host":
        options.host = value;
        break;
      case "--app":
        options.app = value;
        break;
      case "--host-json":
        options.hostJson = value;
        break;
      default:
        throw new Error(`Unknown option ${flag ?? ""}`);
    }
    i++;
  }
  return options;
}

const triggerNames: Record<HostFunction["kind"], string> = {
  http: "httpTrigger",
  timer: "timerTrigger",
  queue: "queueTrigger",
  other: "other",
};

function describe(fn: HostFunction, url: string): string {
  if (fn.error) return `${fn.name}: ${triggerNames[fn.kind]} (in error: ${fn.error})`;
  if (fn.kind === "http") return `${fn.name}: [${(fn.methods ?? []).join(",")}] ${url}/${fn.route ?? ""}`;
  if (fn.kind === "timer") {
    return `${fn.name}: timerTrigger (schedule ${fn.schedule ?? ""}${fn.runOnStartup ? ", runOnStartup" : ""})`;
  }
  if (fn.kind === "queue") return `${fn.name}: queueTrigger (queue ${fn.queueName ?? ""})`;
  return `${fn.name}: ${fn.kind} (run with POST ${url}/admin/functions/${fn.name})`;
}

async function main(): Promise<void> {
  const cli = parseArgs(process.argv.slice(2));
  const host = await startHost({
    port: cli.port,
    ...(cli.host === undefined ? {} : { host: cli.host }),
    appMain: cli.app,
    hostJsonPath: cli.hostJson,
  });

  console.log("\nFunctions:\n");
  for (const fn of host.functions) console.log(`        ${describe(fn, host.url)}\n`);
  console.log(`functions host listening on ${host.url} (${host.functions.length} functions)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`functions host stopping (${signal})`);
    host.close().then(
      () => {
        // App-held resources (SDK keep-alive agents) must not keep a stopped host alive.
        process.exit(0);
      },
      (error: unknown) => {
        console.error("functions host failed to stop cleanly", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error("functions host failed to start:", error);
  process.exit(1);
});
