// The two operator commands: `npm run deploy` (printing its az commands when no Azure login is available, as here)
// with the package it publishes, and `npm run smoke` against the local host (the steps that need API Management
// skipped with --skip-apim-checks, as the script says).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { namePrefixProblem, parseDeployArgs } from "../../infra/scripts/deploy";
import { appFiles, packageRootFiles, stageAppPackage } from "../../infra/scripts/package-app";
import { aRegisteredIban } from "../support/builders";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { testBaseUrl } from "../support/stack";

const repoRoot = resolve(__dirname, "../..");
const scratch: string[] = [];

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** Runs a compiled script with a PATH that has node but no az: no Azure login can be found. */
function runWithoutAz(script: string, args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(repoRoot, "dist/infra/scripts", script), ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { PATH: dirname(process.execPath), HOME: process.env.HOME ?? "/tmp", ...env },
  });
}

/**
 * The same, without blocking this process: jest may run this file in the process that hosts the Cosmos emulator,
 * which the local host (and so the smoke script) needs to reach while the script runs.
 */
function runWithoutAzAsync(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, "dist/infra/scripts", script), ...args], {
      cwd: repoRoot,
      env: { PATH: dirname(process.execPath), HOME: process.env.HOME ?? "/tmp", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (status) => {
      done({ status, stdout, stderr });
    });
  });
}

describe("npm run deploy without an Azure login", () => {
  it("prints the what-if commands it would run for UAT, and runs nothing", () => {
    const run = runWithoutAz("deploy.js", ["--env", "uat", "--what-if"]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/the Azure CLI \(az\) is not installed: nothing was run/);
    expect(lines.slice(1).map((l) => l.trim())).toEqual([
      "az group create --name rg-gpd-uat --location italynorth --tags application=gpd environment=UAT",
      "az deployment group what-if --resource-group rg-gpd-uat --name gpd-uat --template-file infra/main.bicep --parameters infra/params/uat.bicepparam",
    ]);
  });

  it("prints a full PROD deployment: create, the package, the functions it registered", () => {
    const run = runWithoutAz("deploy.js", ["--env", "prod", "--resource-group", "rg-x"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("az deployment group create --resource-group rg-x --name gpd-prod");
    expect(run.stdout).toContain(
      "az functionapp deployment source config-zip --resource-group rg-x --name '<functionAppName output>' --src .deploy/prod.zip",
    );
    expect(run.stdout).toContain("az functionapp function list");
  });

  it("registers a key in API Management through a file, never on the command line", () => {
    const run = runWithoutAz("deploy.js", ["--env", "uat", "--apim-subscription", "comune", "--scope", "/apis"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /az rest --method put --url '\/subscriptions\/.*\/subscriptions\/comune\?api-version=2024-05-01' --body '@<file with the key, mode 600>'/,
    );
  });

  it("refuses a bad environment, a scope it does not know and a name prefix storage accounts would refuse", () => {
    expect(() => parseDeployArgs(["--env", "test"])).toThrow(/--env must be uat or prod/);
    expect(() => parseDeployArgs(["--env", "uat", "--apim-subscription", "x", "--scope", "/everything"])).toThrow(
      /--scope/,
    );
    expect(namePrefixProblem("param namePrefix = 'GPD'")).toMatch(/lowercase/);
    expect(namePrefixProblem("param namePrefix = '1gpd'")).toMatch(/starting with a letter/);
    expect(namePrefixProblem("param namePrefix = 'gpd2'")).toBeUndefined();
    expect(namePrefixProblem("using '../main.bicep'")).toBeUndefined();
    expect(runWithoutAz("deploy.js", ["--env", "staging"]).status).toBe(1);
  });
});

describe("the package npm run deploy publishes", () => {
  // The app reads its own package.json (version) and the OpenAPI documents it serves: tsc copies those JSON files.
  it("holds the app compiled from functions/ and shared/ and the files the host reads, nothing else", () => {
    const stage = join(mkdtempSync(join(tmpdir(), "gpd-package-")), "app");
    scratch.push(dirname(stage));
    stageAppPackage(repoRoot, stage, { install: false });
    const files = appFiles(stage);
    expect(files).toEqual(expect.arrayContaining(["dist/functions/index.js", ...packageRootFiles]));
    const outside = files.filter(
      (f) =>
        !(packageRootFiles as readonly string[]).includes(f) &&
        !/^dist\/(functions|shared)\/|^dist\/openapi\/[\w-]+\.json$|^dist\/package\.json$/.test(f),
    );
    expect(outside).toEqual([]);
    expect(files.some((f) => f.startsWith("dist/shared/"))).toBe(true);
  }, 240_000);
});

describe("npm run smoke against the local host", () => {
  const base = testBaseUrl();
  const describeWithHost = base === undefined ? describe.skip : describe;

  describeWithHost("with a debt-positions key of a registered organization", () => {
    it("passes every step it can run locally and says which ones it skipped", async () => {
      const org = aFreshFiscalCode();
      await anOrganization(org, [aRegisteredIban]);
      const { key } = await aKey({ organizations: [org], products: ["debt-positions"] });
      const run = await runWithoutAzAsync(
        "smoke.js",
        ["--base", base ?? "", "--org", org, "--iban", aRegisteredIban, "--skip-apim-checks"],
        {
          GPD_SMOKE_KEY: key,
        },
      );
      expect(run.stderr).toBe("");
      expect(run.stdout.trim().split("\n")).toEqual([
        expect.stringMatching(/^skip functions listed: needs --app and --resource-group/),
        expect.stringMatching(/^ok {3}\/info wants a key: 401 without a key, 200 with it/),
        expect.stringMatching(
          /^ok {3}a position created, read and deleted: SMOKE-\S+ created \(201\), read \(200\), deleted \(200\), then 404$/,
        ),
        expect.stringMatching(/^skip the 101st call in 10 s answers 429: --skip-apim-checks/),
        expect.stringMatching(/^skip the function app's own host refuses direct calls: --skip-apim-checks/),
        "smoke: passed",
      ]);
      expect(run.status).toBe(0);
    });

    it("fails, naming the step, when the key is not one GPD knows", async () => {
      const org = aFreshFiscalCode();
      await anOrganization(org, [aRegisteredIban]);
      const run = await runWithoutAzAsync("smoke.js", [
        "--base",
        base ?? "",
        "--org",
        org,
        "--iban",
        aRegisteredIban,
        "--skip-apim-checks",
        "--key",
        "not-a-key-of-this-gpd",
      ]);
      expect(run.stdout).toMatch(/^FAIL \/info wants a key: GET \/info with the key answered 401, not 200/m);
      expect(run.stdout).toMatch(/^smoke: FAILED$/m);
      expect(run.status).toBe(1);
    });
  });

  it("is built", () => {
    expect(existsSync(join(repoRoot, "dist/infra/scripts/smoke.js"))).toBe(true);
  });
});
