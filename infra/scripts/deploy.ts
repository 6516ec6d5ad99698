// `npm run deploy -- --env uat|prod [--what-if]`: what-if, deployment, the app package, the functions it registered.
// `npm run deploy -- --env uat|prod --apim-subscription <name> --scope /apis|/products/<p>`: registers a GPD key
//   (read from standard input, never from the command line) as an API Management subscription (docs/adr/0005).
// With no Azure login (no `az`, or `az account show` fails) it prints the commands it would run and exits 0.
// Walkthrough: docs/deploy.md.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stageAppPackage } from "./package-app";

export interface DeployOptions {
  env: "uat" | "prod";
  whatIf: boolean;
  resourceGroup: string;
  location: string;
  apimSubscription?: { name: string; scope: string };
}

const usage =
  "usage: npm run deploy -- --env uat|prod [--what-if] [--resource-group <rg>] [--location <region>]\n" +
  "       npm run deploy -- --env uat|prod --apim-subscription <name> --scope /apis|/products/<product>  (key on stdin)";

export function parseDeployArgs(argv: readonly string[]): DeployOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const env = value("--env");
  if (env !== "uat" && env !== "prod") throw new Error(`--env must be uat or prod\n${usage}`);
  const name = value("--apim-subscription");
  const scope = value("--scope");
  if (name !== undefined && (scope === undefined || !/^\/(apis|products\/[a-z-]+)$/.test(scope))) {
    throw new Error(`--apim-subscription needs --scope /apis or /products/<product>\n${usage}`);
  }
  return {
    env,
    whatIf: argv.includes("--what-if"),
    resourceGroup: value("--resource-group") ?? `rg-gpd-${env}`,
    location: value("--location") ?? "italynorth",
    ...(name !== undefined && scope !== undefined ? { apimSubscription: { name, scope } } : {}),
  };
}

/** The namePrefix a parameter file sets (main.bicep's default otherwise) must fit storage account names. */
export function namePrefixProblem(paramFileText: string): string | undefined {
  const prefix = /^\s*param\s+namePrefix\s*=\s*'([^']*)'/m.exec(paramFileText)?.[1] ?? "gpd";
  return /^[a-z][a-z0-9]{1,5}$/.test(prefix)
    ? undefined
    : `namePrefix '${prefix}' must be 2 to 6 lowercase letters and digits, starting with a letter`;
}

const display = (args: readonly string[]): string =>
  args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");

function azLogin(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync("az", ["account", "show", "-o", "none"], { encoding: "utf8" });
  if (probe.error !== undefined) return { ok: false, reason: "the Azure CLI (az) is not installed" };
  if (probe.status !== 0) return { ok: false, reason: "no Azure login (`az account show` failed; run `az login`)" };
  return { ok: true };
}

function az(args: readonly string[], options: { capture: boolean }): string {
  console.log(`$ ${display(["az", ...args])}`);
  const result = spawnSync("az", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!options.capture) process.stdout.write(result.stdout);
  if (result.status !== 0)
    throw new Error(`az ${args[0] ?? ""} ${args[1] ?? ""} failed (exit ${String(result.status)})`);
  return result.stdout.trim();
}

const deploymentName = (o: DeployOptions): string => `gpd-${o.env}`;
const deploymentArgs = (o: DeployOptions): string[] => [
  "--resource-group",
  o.resourceGroup,
  "--name",
  deploymentName(o),
  "--template-file",
  "infra/main.bicep",
  "--parameters",
  `infra/params/${o.env}.bicepparam`,
];
const output = (o: DeployOptions, name: string): string[] => [
  "deployment",
  "group",
  "show",
  "--resource-group",
  o.resourceGroup,
  "--name",
  deploymentName(o),
  "--query",
  `properties.outputs.${name}.value`,
  "-o",
  "tsv",
];

/** Every az command of a deployment, in order; values known only after a step are shown as <placeholders>. */
export function deploymentPlan(o: DeployOptions, known: { app?: string } = {}): string[][] {
  const app = known.app ?? "<functionAppName output>";
  const infra = [
    [
      "group",
      "create",
      "--name",
      o.resourceGroup,
      "--location",
      o.location,
      "--tags",
      "application=gpd",
      `environment=${o.env.toUpperCase()}`,
    ],
    ["deployment", "group", "what-if", ...deploymentArgs(o)],
  ];
  if (o.whatIf) return infra;
  return [
    ...infra,
    ["deployment", "group", "create", ...deploymentArgs(o), "-o", "none"],
    output(o, "functionAppName"),
    [
      "functionapp",
      "deployment",
      "source",
      "config-zip",
      "--resource-group",
      o.resourceGroup,
      "--name",
      app,
      "--src",
      `.deploy/${o.env}.zip`,
    ],
    [
      "functionapp",
      "function",
      "list",
      "--resource-group",
      o.resourceGroup,
      "--name",
      app,
      "--query",
      "[].name",
      "-o",
      "tsv",
    ],
  ];
}

/** The az commands of a key registration; the body (with the key) goes through a file readable only by its owner. */
export function subscriptionPlan(
  o: DeployOptions,
  known: { subscriptionId?: string; apim?: string; bodyFile?: string } = {},
): string[][] {
  const s = o.apimSubscription;
  if (s === undefined) return [];
  const url =
    `/subscriptions/${known.subscriptionId ?? "<subscription id>"}/resourceGroups/${o.resourceGroup}` +
    `/providers/Microsoft.ApiManagement/service/${known.apim ?? "<apimName output>"}/subscriptions/${s.name}?api-version=2024-05-01`;
  return [
    ["account", "show", "--query", "id", "-o", "tsv"],
    output(o, "apimName"),
    ["rest", "--method", "put", "--url", url, "--body", `@${known.bodyFile ?? "<file with the key, mode 600>"}`],
  ];
}

function readStdin(): string {
  return readFileSync(0, "utf8").trim();
}

function registerKey(o: DeployOptions): void {
  const s = o.apimSubscription;
  if (s === undefined) return;
  const key = readStdin();
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(key))
    throw new Error("standard input must hold the key printed by `gpd subscription create`");
  const subscriptionId = az(["account", "show", "--query", "id", "-o", "tsv"], { capture: true });
  const apim = az(output(o, "apimName"), { capture: true });
  const dir = mkdtempSync(join(tmpdir(), "gpd-apim-"));
  const bodyFile = join(dir, "subscription.json");
  try {
    // The secondary key is random and never handed out: the app knows only the primary one.
    const body = {
      properties: {
        displayName: s.name,
        scope: s.scope,
        state: "active",
        primaryKey: key,
        secondaryKey: randomBytes(32).toString("hex"),
      },
    };
    writeFileSync(bodyFile, JSON.stringify(body), { mode: 0o600 });
    const plan = subscriptionPlan(o, { subscriptionId, apim, bodyFile });
    const put = plan[plan.length - 1];
    if (put !== undefined) az(put, { capture: true });
    console.log(`API Management subscription ${s.name} (${s.scope}) holds the key.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function deploy(o: DeployOptions, root: string): void {
  const plan = deploymentPlan(o);
  const [group, whatIf] = plan;
  if (group !== undefined) az(group, { capture: true });
  if (whatIf !== undefined) az(whatIf, { capture: false });
  if (o.whatIf) return;
  az(["deployment", "group", "create", ...deploymentArgs(o), "-o", "none"], { capture: false });
  const app = az(output(o, "functionAppName"), { capture: true });
  console.log(`$ (package) functions/ + shared/ compiled, production dependencies → .deploy/${o.env}.zip`);
  const zip = stageAppPackage(root, resolve(root, ".deploy", o.env), { install: true });
  if (zip === undefined) throw new Error("no package was written");
  const rest = deploymentPlan(o, { app }).slice(4);
  for (const step of rest) az(step, { capture: false });
}

function main(): void {
  const root = process.cwd();
  const options = parseDeployArgs(process.argv.slice(2));
  const prefixProblem = namePrefixProblem(
    readFileSync(join(root, "infra", "params", `${options.env}.bicepparam`), "utf8"),
  );
  if (prefixProblem !== undefined) throw new Error(prefixProblem);
  const login = azLogin();
  if (!login.ok) {
    const plan = options.apimSubscription !== undefined ? subscriptionPlan(options) : deploymentPlan(options);
    console.log(`${login.reason}: nothing was run. With a login, npm run deploy would run:`);
    for (const step of plan) console.log(`  ${display(["az", ...step])}`);
    if (options.apimSubscription === undefined && !options.whatIf) {
      console.log(
        `  (before config-zip: the app package of functions/ + shared/ is built into .deploy/${options.env}.zip)`,
      );
    }
    return;
  }
  if (options.apimSubscription !== undefined) registerKey(options);
  else deploy(options, root);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
