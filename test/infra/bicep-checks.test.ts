// The offline checks of infra/ (infra/checks/bicep-checks.ts): what the Bicep compiler cannot know because it
// compares the Bicep with the app. Each check is shown to pass on the real files and to fail on a one-edit copy.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkInfra, formatProblem, mask, settingsNotSetInAzure, type Problem } from "../../infra/checks/bicep-checks";
import { settingNames } from "../../shared/config/config";
import { products } from "../../shared/domain/subscriptions/subscription";

const repoRoot = resolve(__dirname, "../..");
const options = { settingNames, products };

const copies: string[] = [];

/** A throw-away copy of what the checks read: infra/ and the storage definition. */
function copyOfInfra(): string {
  const root = mkdtempSync(join(tmpdir(), "gpd-infra-"));
  copies.push(root);
  cpSync(join(repoRoot, "infra"), join(root, "infra"), { recursive: true });
  mkdirSync(join(root, "shared/storage"), { recursive: true });
  cpSync(
    join(repoRoot, "shared/storage/storage-definition.json"),
    join(root, "shared/storage/storage-definition.json"),
  );
  return root;
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  const before = readFileSync(path, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
}

const messages = (problems: Problem[]): string[] => problems.map(formatProblem);

afterAll(() => {
  for (const root of copies) rmSync(root, { recursive: true, force: true });
});

describe("the real infra/", () => {
  it("passes every offline check, and so does a copy (the baseline of the tests below)", () => {
    expect(messages(checkInfra(repoRoot, options))).toEqual([]);
    expect(messages(checkInfra(copyOfInfra(), options))).toEqual([]);
  });
});

describe("reading Bicep text", () => {
  it("blanks comments and string contents without moving any position", () => {
    const text = "var a = 'x // not a comment' // a comment [\nvar b = '''\n{ ]\n''' /* { */\n";
    const { code, bare } = mask(text);
    expect(code).toHaveLength(text.length);
    expect(bare).toHaveLength(text.length);
    expect(code).toContain("'x // not a comment'");
    expect(code).not.toContain("a comment [");
    expect(bare).not.toMatch(/[{}[\]]/);
    expect(bare.split("\n")).toHaveLength(text.split("\n").length);
  });
});

describe("app settings of the Function App", () => {
  it("names a setting of the config schema that the Function App does not set", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/functionapp.bicep", (text) =>
      text.replace(/\s*\{\s*name: 'JOB_BATCH_SIZE'\s*value: [^\n]*\s*\}/, ""),
    );
    expect(messages(checkInfra(root, options))).toEqual([
      expect.stringMatching(/^infra\/modules\/functionapp\.bicep:\d+: app setting JOB_BATCH_SIZE .*is not set/),
    ]);
  });

  it("does not count a setting that is only mentioned in a comment", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/functionapp.bicep", (text) =>
      text.replace("name: 'LOG_LEVEL'", "// name: 'LOG_LEVEL'\n          name: 'LOGLEVEL'"),
    );
    expect(messages(checkInfra(root, options))).toEqual([expect.stringContaining("app setting LOG_LEVEL")]);
  });

  it.each(settingsNotSetInAzure)("refuses %s, which would put a key where the identity works", (name) => {
    const root = copyOfInfra();
    edit(root, "infra/modules/functionapp.bicep", (text) =>
      text.replace(
        "appSettings: [",
        `appSettings: [\n        {\n          name: '${name}'\n          value: 'secret'\n        }`,
      ),
    );
    expect(messages(checkInfra(root, options))).toEqual([
      expect.stringContaining(`app setting ${name} must not be set in Azure`),
    ]);
  });

  it("checks every setting the app reads except the key-only ones", () => {
    const root = copyOfInfra();
    const withoutAny = settingNames.filter((n) => !settingsNotSetInAzure.includes(n));
    edit(root, "infra/modules/functionapp.bicep", (text) =>
      withoutAny.reduce((t, name) => t.replace(`name: '${name}'`, `name: 'X_${name}'`), text),
    );
    const reported = checkInfra(root, options).map((p) => /app setting (\w+)/.exec(p.message)?.[1]);
    expect(reported.sort()).toEqual([...withoutAny].sort());
  });

  it("refuses Node 20 and an ftpsState on the Flex Consumption app", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/functionapp.bicep", (text) =>
      text
        .replace("version: '22'", "version: '20'")
        .replace("http20Enabled: true", "http20Enabled: true\n      ftpsState: 'Disabled'"),
    );
    expect(messages(checkInfra(root, options))).toEqual([
      expect.stringContaining("functionAppConfig.runtime must be node 22"),
      expect.stringMatching(/^infra\/modules\/functionapp\.bicep:\d+: siteConfig\.ftpsState is rejected by ARM/),
    ]);
  });
});

describe("containers of the storage definition", () => {
  it("reports Cosmos containers written by hand instead of looping over the definition", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/cosmos.bicep", (text) =>
      text.replace(
        "for container in storageDefinition.containers: {",
        "for container in [\n    { id: 'debtpositions', partitionKey: {}, indexingPolicy: {} }\n    { id: 'subscriptions', partitionKey: {}, indexingPolicy: {} }\n    { id: 'organizations', partitionKey: {}, indexingPolicy: {} }\n    { id: 'reporting', partitionKey: {}, indexingPolicy: {} }\n    { id: 'webhooks', partitionKey: {}, indexingPolicy: {} }\n  ]: {",
      ),
    );
    expect(messages(checkInfra(root, options))).toEqual([
      expect.stringMatching(/^infra\/modules\/cosmos\.bicep:\d+: Cosmos containers must be declared by a loop over/),
    ]);
  });

  it("reports a loop over a filtered definition, which would leave containers out", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/cosmos.bicep", (text) =>
      text.replace(
        "for container in storageDefinition.containers: {",
        "for container in filter(storageDefinition.containers, c => c.id != 'receipts'): {",
      ),
    );
    expect(messages(checkInfra(root, options)).join("\n")).toMatch(/Cosmos containers must be declared/);
  });

  it("reports blob containers named by something else than the definition's name", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/storage.bicep", (text) =>
      text.replace("name: container.name", "name: 'x-${container.name}'"),
    );
    expect(messages(checkInfra(root, options))).toEqual([expect.stringContaining("blob containers must be declared")]);
  });

  it("reports a loop over another JSON file", () => {
    const root = copyOfInfra();
    cpSync(join(root, "shared/storage/storage-definition.json"), join(root, "shared/storage/other.json"));
    edit(root, "infra/modules/storage.bicep", (text) =>
      text.replace("storage/storage-definition.json", "storage/other.json"),
    );
    expect(messages(checkInfra(root, options))).toEqual([expect.stringContaining("blob containers must be declared")]);
  });
});

describe("API Management and parameter files", () => {
  it("reports a product of the app that is not declared", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/apim.bicep", (text) => text.replace("id: 'notification-fee'", "id: 'notification-fees'"));
    expect(messages(checkInfra(root, options))).toEqual([
      expect.stringContaining("product 'notification-fee' is not declared"),
    ]);
  });

  it("reports a product that opens no API and a product that names an undeclared API", () => {
    const root = copyOfInfra();
    edit(root, "infra/modules/apim.bicep", (text) =>
      text
        .replace(/(id: 'events'\s*displayName: [^\n]*\s*apis: \[)\s*'events'\s*\]/, "$1]")
        .replace(/(id: 'internal'\s*displayName: [^\n]*\s*apis: \[\s*)'internal'/, "$1'internals'"),
    );
    const found = messages(checkInfra(root, options));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining("product 'events' opens no API"),
        expect.stringContaining("product 'internal' names API 'internals'"),
      ]),
    );
    expect(found).toHaveLength(2);
  });

  it("reports a parameter file that deploys another environment", () => {
    const root = copyOfInfra();
    edit(root, "infra/params/uat.bicepparam", (text) =>
      text.replace("param environmentName = 'UAT'", "param environmentName = 'PROD'"),
    );
    expect(messages(checkInfra(root, options))).toEqual([
      expect.stringMatching(/^infra\/params\/uat\.bicepparam:\d+: environmentName must be 'UAT'/),
    ]);
  });
});

describe("npm run check:infra --offline (dist/infra/checks/run.js, built by npm test)", () => {
  const cli = join(repoRoot, "dist/infra/checks/run.js");

  it("exits 0 on a good copy and 1 with every problem listed as file:line", () => {
    expect(existsSync(cli)).toBe(true);
    const good = copyOfInfra();
    expect(spawnSync(process.execPath, [cli, good, "--offline"], { encoding: "utf8" }).status).toBe(0);

    const bad = copyOfInfra();
    edit(bad, "infra/modules/functionapp.bicep", (text) => text.replace("name: 'LOG_LEVEL'", "name: 'LOGLEVEL'"));
    edit(bad, "infra/params/prod.bicepparam", (text) => text.replace("= 'PROD'", "= 'UAT'"));
    const run = spawnSync(process.execPath, [cli, bad, "--offline"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^infra\/modules\/functionapp\.bicep:\d+: app setting LOG_LEVEL/m);
    expect(run.stderr).toMatch(/^infra\/params\/prod\.bicepparam:\d+: environmentName must be 'PROD'/m);
    expect(run.stderr).toMatch(/infra checks: 2 problem\(s\)/);
  });
});
