// `gpd webhook list|create|delete` as the real compiled CLI process, against the emulators the test setup started.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { aFreshFiscalCode } from "../support/keys";
import { baseProcessEnv, repositoryRoot, testSettings } from "../support/stack";

const run = promisify(execFile);
const cli = path.join(repositoryRoot, "dist/shared/cli/gpd.js");

async function gpd(args: string[]) {
  const cwd = mkdtempSync(path.join(tmpdir(), "gpd-cli-"));
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd,
      env: { ...baseProcessEnv(), ...testSettings() },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

// Each run is a fresh Node process loading the SDKs: seconds each on a busy machine.
jest.setTimeout(120_000);

describe("gpd webhook", () => {
  it("creates (secret alone on the last line), lists and deletes a webhook of an organization", async () => {
    const org = aFreshFiscalCode();
    expect((await gpd(["webhook", "list", "--org", org])).stdout.trim()).toBe("no webhooks");
    const created = await gpd([
      "webhook",
      "create",
      "--org",
      org,
      "--url",
      "http://localhost:9999/hook",
      "--types",
      "debt-position.paid,receipt.created",
      "--description",
      "ERP",
    ]);
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const id = /created webhook (wh_[0-9a-f]{24})/.exec(created.stdout)?.[1] ?? "";
    expect(id).not.toBe("");

    const listed = await gpd(["webhook", "list", "--org", org]);
    expect(listed.stdout).toContain(
      `${id}  active  http://localhost:9999/hook  debt-position.paid,receipt.created  "ERP"`,
    );
    expect(listed.stdout).not.toContain("whsec_");

    expect((await gpd(["webhook", "delete", "--org", org, "--id", id])).stdout.trim()).toBe(`deleted webhook ${id}`);
    expect((await gpd(["webhook", "list", "--org", org])).stdout.trim()).toBe("no webhooks");
    const again = await gpd(["webhook", "delete", "--org", org, "--id", id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Not found the webhook/);
  });

  it("refuses a bad receiver or organization with the reason and a non-zero exit", async () => {
    const org = aFreshFiscalCode();
    const bad = await gpd([
      "webhook",
      "create",
      "--org",
      org,
      "--url",
      "https://10.0.0.1/x",
      "--types",
      "receipt.created",
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/private/);
    const usage = await gpd(["webhook", "list", "--org", "nope"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--org must be/);
    expect((await gpd(["webhook", "list", "--org", org])).stdout.trim()).toBe("no webhooks");
  });
});
