// CLI entry of the local Functions host (what `func start` would be): the parent process passes the app settings in
// the environment. Usage: node dist/local/host/main.js [--port 7071] [--host 127.0.0.1] [--app dist/functions/index.js]
// [--host-json host.json] [--cors "*" | --cors https://a.example,https://b.example] [--cors-credentials]
// The address defaults to LOCAL_HOST_BIND_ADDRESS, else 127.0.0.1: only this machine can call the host (its admin
// endpoints run the jobs) unless the developer widens it on purpose.
import { announceReady } from "../processes";
import { HostStartError, startHost, type CorsPolicy, type HostFunction } from "./host";
import { localPages } from "./local-pages";

interface CliOptions {
  port: number;
  host: string;
  app: string;
  hostJson: string;
  cors: CorsPolicy | undefined;
}

const flagsWithoutValue = new Set(["--cors-credentials"]);

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const options: CliOptions = {
    port: 7071,
    host: env.LOCAL_HOST_BIND_ADDRESS?.trim() || "127.0.0.1",
    app: "dist/functions/index.js",
    hostJson: "host.json",
    cors: undefined,
  };
  let origins: string[] | undefined;
  let credentials = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? "";
    if (flagsWithoutValue.has(flag)) {
      credentials = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new HostStartError(`Missing value after ${flag}`);
    switch (flag) {
      case "--port": {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new HostStartError(`Invalid --port ${value}`);
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
      case "--cors":
        origins = value
          .split(",")
          .map((o) => o.trim())
          .filter((o) => o !== "");
        break;
      default:
        throw new HostStartError(`Unknown option ${flag}`);
    }
    i++;
  }
  if (origins !== undefined && origins.length > 0) {
    // Browsers refuse credentials with a wildcard origin, and Azure's CORS settings refuse the combination too.
    if (credentials && origins.includes("*")) {
      throw new HostStartError('Host.CORSCredentials cannot be used with Host.CORS "*": list the allowed origins');
    }
    options.cors = { origins, credentials };
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
  if (fn.disabled) return `${fn.name}: ${triggerNames[fn.kind]} (disabled by AzureWebJobs.${fn.name}.Disabled)`;
  if (fn.kind === "http") return `${fn.name}: [${(fn.methods ?? []).join(",")}] ${url}/${fn.route ?? ""}`;
  if (fn.kind === "timer") {
    return `${fn.name}: timerTrigger (schedule ${fn.schedule ?? ""}${fn.runOnStartup ? ", runOnStartup" : ""})`;
  }
  if (fn.kind === "queue") return `${fn.name}: queueTrigger (queue ${fn.queueName ?? ""})`;
  return `${fn.name}: ${fn.kind} (run with POST ${url}/admin/functions/${fn.name})`;
}

async function main(): Promise<void> {
  const cli = parseArgs(process.argv.slice(2), process.env);
  const host = await startHost({
    port: cli.port,
    host: cli.host,
    appMain: cli.app,
    hostJsonPath: cli.hostJson,
    ...(cli.cors ? { cors: cli.cors } : {}),
    localPages: localPages(),
  });

  console.log("\nFunctions:\n");
  for (const fn of host.functions) console.log(`        ${describe(fn, host.url)}\n`);
  console.log(`functions host listening on ${host.url} (${host.functions.length} functions)`);
  announceReady({ url: host.url });

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
  // A reason the developer can act on is one line; anything else is a bug worth its stack.
  const reason = error instanceof HostStartError ? error.message : error;
  console.error("functions host failed to start:", reason);
  process.exit(1);
});
