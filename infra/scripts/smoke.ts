// `npm run smoke -- --base <debt-positions API URL> --org <fiscal code> --iban <registered IBAN> [--key <key>]`
// A deployed GPD answers as it should: its functions are listed, /info wants a key, a position can be created, read
// and deleted, API Management limits a key to 100 calls in 10 s, and the Function App's own host refuses callers
// other than API Management. The key comes from GPD_SMOKE_KEY (keeps it off the command line) or --key.
// --skip-apim-checks leaves out the two steps only API Management can pass (the 429 and the direct-host refusal),
// for a run against the local host. Walkthrough: docs/deploy.md.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";

export interface SmokeOptions {
  base: string;
  key: string;
  org: string;
  iban: string;
  app?: string;
  resourceGroup?: string;
  functionHost?: string;
  skipApimChecks: boolean;
}

type Outcome =
  { status: "passed"; detail: string } | { status: "failed"; detail: string } | { status: "skipped"; detail: string };

export function parseSmokeArgs(argv: readonly string[], env: Record<string, string | undefined>): SmokeOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const base = value("--base");
  const key = value("--key") ?? env.GPD_SMOKE_KEY;
  const org = value("--org");
  const iban = value("--iban");
  if (base === undefined || key === undefined || key === "" || org === undefined || iban === undefined) {
    throw new Error(
      "usage: npm run smoke -- --base <URL of the debt-positions API> --org <fiscal code> --iban <registered IBAN>\n" +
        "       [--key <key> | GPD_SMOKE_KEY=<key>] [--app <function app> --resource-group <rg>] [--skip-apim-checks]",
    );
  }
  const app = value("--app");
  const resourceGroup = value("--resource-group");
  const functionHost = value("--function-host") ?? (app === undefined ? undefined : `https://${app}.azurewebsites.net`);
  return {
    base: base.replace(/\/+$/, ""),
    key,
    org,
    iban,
    skipApimChecks: argv.includes("--skip-apim-checks"),
    ...(app !== undefined ? { app } : {}),
    ...(resourceGroup !== undefined ? { resourceGroup } : {}),
    ...(functionHost !== undefined ? { functionHost } : {}),
  };
}

async function call(url: string, init: RequestInit & { key?: string } = {}): Promise<{ status: number; body: string }> {
  const headers = new Headers(init.headers);
  if (init.key !== undefined) headers.set("Ocp-Apim-Subscription-Key", init.key);
  const response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: await response.text() };
}

const passed = (detail: string): Outcome => ({ status: "passed", detail });
const failed = (detail: string): Outcome => ({ status: "failed", detail });
const skipped = (detail: string): Outcome => ({ status: "skipped", detail });

function functionsListed(o: SmokeOptions): Outcome {
  if (o.app === undefined || o.resourceGroup === undefined) {
    return skipped("needs --app and --resource-group (lists the functions with az)");
  }
  const list = spawnSync(
    "az",
    ["functionapp", "function", "list", "-g", o.resourceGroup, "-n", o.app, "--query", "[].name", "-o", "tsv"],
    {
      encoding: "utf8",
    },
  );
  if (list.status !== 0) return failed(`az functionapp function list failed: ${list.stderr.trim()}`);
  const names = list.stdout.split("\n").filter((n) => n.trim() !== "");
  return names.length > 0 ? passed(`${names.length} functions`) : failed("the app registered no function");
}

async function infoNeedsKey(o: SmokeOptions): Promise<Outcome> {
  const without = await call(`${o.base}/info`);
  if (without.status !== 401) return failed(`GET /info without a key answered ${without.status}, not 401`);
  const withKey = await call(`${o.base}/info`, { key: o.key });
  if (withKey.status !== 200)
    return failed(`GET /info with the key answered ${withKey.status}, not 200: ${withKey.body.slice(0, 200)}`);
  return passed(`401 without a key, 200 with it: ${withKey.body.slice(0, 120)}`);
}

export function smokePosition(o: Pick<SmokeOptions, "iban">, now: Date): { iupd: string; body: unknown } {
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const iupd = `SMOKE-${stamp}-${randomInt(0, 1_000_000)}`;
  const iuv = `01${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
  const dueDate = new Date(now.getTime() + 30 * 24 * 3600 * 1000).toISOString();
  return {
    iupd,
    body: {
      iupd,
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "GPD smoke test",
      switchToExpired: false,
      companyName: "GPD smoke test",
      paymentOption: [
        {
          iuv,
          amount: 100,
          description: "GPD smoke test",
          isPartialPayment: false,
          dueDate,
          paymentOptionMetadata: [],
          transfer: [
            {
              idTransfer: "1",
              amount: 100,
              remittanceInformation: "GPD smoke test",
              category: "9/0101108TS/",
              iban: o.iban,
              transferMetadata: [],
            },
          ],
        },
      ],
    },
  };
}

async function positionRoundTrip(o: SmokeOptions): Promise<Outcome> {
  const { iupd, body } = smokePosition(o, new Date());
  const collection = `${o.base}/organizations/${encodeURIComponent(o.org)}/debtpositions`;
  const item = `${collection}/${encodeURIComponent(iupd)}`;
  const json = { "content-type": "application/json" };
  const created = await call(collection, { method: "POST", key: o.key, headers: json, body: JSON.stringify(body) });
  if (created.status !== 201) return failed(`POST answered ${created.status}: ${created.body.slice(0, 300)}`);
  const read = await call(item, { key: o.key });
  if (read.status !== 200 || !read.body.includes(iupd)) return failed(`GET answered ${read.status}`);
  const deleted = await call(item, { method: "DELETE", key: o.key });
  if (deleted.status !== 200) return failed(`DELETE answered ${deleted.status}: ${deleted.body.slice(0, 300)}`);
  const gone = await call(item, { key: o.key });
  if (gone.status !== 404) return failed(`GET after DELETE answered ${gone.status}, not 404`);
  return passed(`${iupd} created (201), read (200), deleted (200), then 404`);
}

async function rateLimited(o: SmokeOptions): Promise<Outcome> {
  if (o.skipApimChecks) return skipped("--skip-apim-checks (only API Management limits calls)");
  // A fresh 10-second window, then 101 calls well inside the next one.
  await new Promise((r) => setTimeout(r, 10_500));
  const started = Date.now();
  const statuses: number[] = [];
  for (let batch = 0; batch < 101; batch += 10) {
    const size = Math.min(10, 101 - batch);
    const answers = await Promise.all(Array.from({ length: size }, () => call(`${o.base}/info`, { key: o.key })));
    statuses.push(...answers.map((a) => a.status));
  }
  const elapsed = Date.now() - started;
  const limited = statuses.filter((s) => s === 429).length;
  if (elapsed > 10_000) return failed(`101 calls took ${elapsed} ms: too slow to test a 10-second window from here`);
  if (limited === 0) return failed(`101 calls in ${elapsed} ms, none answered 429`);
  if (statuses.length - limited > 100) return failed(`${statuses.length - limited} calls passed in one window`);
  return passed(`101 calls in ${elapsed} ms: ${limited} answered 429`);
}

async function directHostRefused(o: SmokeOptions): Promise<Outcome> {
  if (o.skipApimChecks) return skipped("--skip-apim-checks (the access restriction exists only in Azure)");
  if (o.functionHost === undefined) return skipped("needs --app or --function-host");
  const direct = await call(`${o.functionHost}/info`, { key: o.key });
  return direct.status === 403
    ? passed(`${o.functionHost}/info answered 403`)
    : failed(
        `${o.functionHost}/info answered ${direct.status}, not 403: the app takes calls that bypass API Management`,
      );
}

export async function runSmoke(o: SmokeOptions, print: (line: string) => void): Promise<boolean> {
  const steps: [string, () => Promise<Outcome> | Outcome][] = [
    ["functions listed", () => functionsListed(o)],
    ["/info wants a key", () => infoNeedsKey(o)],
    ["a position created, read and deleted", () => positionRoundTrip(o)],
    ["the 101st call in 10 s answers 429", () => rateLimited(o)],
    ["the function app's own host refuses direct calls", () => directHostRefused(o)],
  ];
  let ok = true;
  for (const [name, step] of steps) {
    let outcome: Outcome;
    try {
      outcome = await step();
    } catch (err) {
      outcome = failed(err instanceof Error ? err.message : String(err));
    }
    if (outcome.status === "failed") ok = false;
    const mark = outcome.status === "passed" ? "ok  " : outcome.status === "failed" ? "FAIL" : "skip";
    print(`${mark} ${name}: ${outcome.detail}`);
  }
  print(ok ? "smoke: passed" : "smoke: FAILED");
  return ok;
}

if (require.main === module) {
  void (async () => {
    try {
      const ok = await runSmoke(parseSmokeArgs(process.argv.slice(2), process.env), (l) => {
        console.log(l);
      });
      if (!ok) process.exitCode = 1;
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 2;
    }
  })();
}
