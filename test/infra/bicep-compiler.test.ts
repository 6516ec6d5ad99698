// The official Bicep compiler as `npm run check:infra` runs it (infra/checks/bicep-cli.ts): an injected error and an
// injected warning each fail the check. Needs the dotnet SDK to restore the CLI; without it the tests say so and are
// skipped, except in CI (GPD_CI=1, set by .ci/run), where a missing compiler fails them.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureBicep, parseDiagnostics, runBicep, stepFailed } from "../../infra/checks/bicep-cli";

const repoRoot = resolve(__dirname, "../..");
// .ci/run's second pass (the suite on Node 22) sets GPD_BICEP_TESTS=off: the compiler does not depend on Node.
const bicep: ReturnType<typeof ensureBicep> =
  process.env.GPD_BICEP_TESTS === "off"
    ? { available: false, reason: "GPD_BICEP_TESTS=off (already run on the first pass)" }
    : ensureBicep(repoRoot);
const required = process.env.GPD_CI === "1" && process.env.GPD_BICEP_TESTS !== "off";
const copies: string[] = [];

if (!bicep.available) {
  process.stdout.write(`\n[bicep] compiler tests skipped: ${bicep.reason}\n`);
}
const describeWithCompiler = bicep.available || required ? describe : describe.skip;

/** A throw-away copy of everything main.bicep loads: infra/, the storage definition, the OpenAPI documents. */
function copyOfInfra(): string {
  const root = mkdtempSync(join(tmpdir(), "gpd-bicep-"));
  copies.push(root);
  cpSync(join(repoRoot, "infra"), join(root, "infra"), { recursive: true });
  mkdirSync(join(root, "shared/storage"), { recursive: true });
  cpSync(
    join(repoRoot, "shared/storage/storage-definition.json"),
    join(root, "shared/storage/storage-definition.json"),
  );
  cpSync(join(repoRoot, "openapi"), join(root, "openapi"), { recursive: true });
  return root;
}

/** Inserts `line` after line `after` (1-based) of a file of the copy; returns the new line's number. */
function insertLine(root: string, file: string, after: number, line: string): number {
  const path = join(root, file);
  const lines = readFileSync(path, "utf8").split("\n");
  lines.splice(after, 0, line);
  writeFileSync(path, lines.join("\n"));
  return after + 1;
}

afterAll(() => {
  for (const root of copies) rmSync(root, { recursive: true, force: true });
});

describe("diagnostic lines of the Bicep CLI", () => {
  it("are read with file, position, level and code", () => {
    const root = "/repo";
    const out =
      "/repo/infra/main.bicep(12,3) : Warning BCP053: The type x does not contain property y.\n" +
      '/repo/infra/modules/a.bicep(1,1) : Error no-unused-vars: Variable "v" is declared but never used. [https://aka.ms/x]\n' +
      "something else\n";
    expect(parseDiagnostics(root, out)).toEqual([
      {
        file: "infra/main.bicep",
        line: 12,
        column: 3,
        level: "Warning",
        code: "BCP053",
        message: "The type x does not contain property y.",
      },
      {
        file: "infra/modules/a.bicep",
        line: 1,
        column: 1,
        level: "Error",
        code: "no-unused-vars",
        message: 'Variable "v" is declared but never used. [https://aka.ms/x]',
      },
    ]);
  });
});

describeWithCompiler("the Bicep compiler in npm run check:infra", () => {
  const binary = bicep.available ? bicep.binary : "bicep-unavailable";

  it("is available in CI", () => {
    expect(bicep).toEqual({ available: true, binary: expect.stringContaining("/tools/bicep") });
  });

  it("fails `bicep build` on an injected error, naming its file and line", () => {
    const root = copyOfInfra();
    const line = insertLine(root, "infra/modules/cosmos.bicep", 9, "var broken = = 'x'");
    const step = runBicep(root, binary, ["build", "infra/main.bicep", "--stdout"]);
    expect(stepFailed(step)).toBe(true);
    expect(step.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: "infra/modules/cosmos.bicep", line, level: "Error" })]),
    );
  }, 180_000);

  it("fails the whole check (exit 1) on an injected compiler warning alone", () => {
    const root = copyOfInfra();
    const storage = readFileSync(join(root, "infra/modules/storage.bicep"), "utf8").split("\n");
    const line = insertLine(
      root,
      "infra/modules/storage.bicep",
      storage.length,
      "output notAProperty string = dataAccount.properties.notAProperty",
    );
    const run = spawnSync(process.execPath, [join(repoRoot, "dist/infra/checks/run.js"), root], {
      encoding: "utf8",
      env: { ...process.env, GPD_CI: "1" },
    });
    expect(run.stderr).toMatch(new RegExp(`^infra/modules/storage\\.bicep:${line}:\\d+: Warning BCP053:`, "m"));
    expect(run.stderr).not.toMatch(/: Error /);
    expect(run.status).toBe(1);
  }, 300_000);

  it("fails `bicep lint` on a linter warning raised to error by infra/bicepconfig.json", () => {
    const root = copyOfInfra();
    const line = insertLine(root, "infra/modules/alerts.bicep", 0, "var neverUsed = 1");
    const step = runBicep(root, binary, ["lint", "infra/modules/alerts.bicep"]);
    expect(stepFailed(step)).toBe(true);
    expect(step.diagnostics).toEqual([
      expect.objectContaining({ file: "infra/modules/alerts.bicep", line, level: "Error", code: "no-unused-vars" }),
    ]);
  }, 180_000);
});
