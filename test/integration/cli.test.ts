// The operator CLI against the Cosmos emulator: in-process for the commands, and as the real `gpd` process for
// exit codes and the "key alone on the last line" contract.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expandPath } from "../../shared/cli/files";
import { runCli, UsageError, type CliDeps } from "../../shared/cli/commands";
import { hashKey } from "../../shared/domain/subscriptions/subscription";
import { aFreshFiscalCode, organizationRepository, subscriptionRepository } from "../support/keys";
import { baseProcessEnv, blobService, repositoryRoot, testBaseUrl, testSettings } from "../support/stack";

const run = promisify(execFile);
const cli = path.join(repositoryRoot, "dist/shared/cli/gpd.js");
const validIban = "IT60X0542811101000000123456";

/** Inboxes of its own: the test host's timers drain the real ones every minute. */
const inboxContainer = (kind: string) => blobService().getContainerClient(`cli-test-${kind}-inbox`);
const rejectedContainer = (kind: string) => blobService().getContainerClient(`cli-test-${kind}-rejected`);

function deps(): CliDeps {
  return {
    subscriptions: subscriptionRepository(),
    organizations: organizationRepository(),
    dropIntoInbox: async (kind, name, bytes) => {
      await inboxContainer(kind).createIfNotExists();
      await inboxContainer(kind).getBlockBlobClient(name).uploadData(bytes);
    },
    listRejected: async (kind) => {
      const found = [];
      for await (const blob of rejectedContainer(kind).listBlobsFlat({ includeMetadata: true })) {
        found.push({ name: blob.name, reason: blob.metadata?.reason ?? "", rejectedAt: undefined, size: 0 });
      }
      return found;
    },
    readFile: (file) => readFile(file),
    expandPath,
    environment: "UAT",
    hostUrl: testBaseUrl() ?? "http://127.0.0.1:9",
    defaultKey: undefined,
    fetch,
    writeFile: (file, bytes) => writeFile(file, bytes),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    clock: () => new Date(),
  };
}

async function capture(argv: string[]) {
  const out: string[] = [];
  await runCli(argv, deps(), { out: (l) => out.push(l), err: (l) => out.push(l) });
  return out;
}

/** Runs the compiled CLI in an empty directory, so no developer's local.settings.json is read. */
async function gpd(args: string[], env: Record<string, string> = testSettings()) {
  const cwd = mkdtempSync(path.join(tmpdir(), "gpd-cli-"));
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd,
      env: { ...baseProcessEnv(), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("gpd CLI", () => {
  it("creates a subscription whose key is stored only as a hash, with default products", async () => {
    const name = `cli-${Date.now()}`;
    const org = aFreshFiscalCode();
    const out = await capture([
      "subscription",
      "create",
      "--name",
      name,
      "--orgs",
      `${org},${aFreshFiscalCode()}`,
      "--force",
    ]);
    const key = out.at(-1) ?? "";
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const stored = await subscriptionRepository().findByKeyHash(hashKey(key));
    expect(stored).toMatchObject({ name, products: ["debt-positions", "receipts"], environment: "UAT" });
    expect(stored?.organizations).toContain(org);
  });

  it("lists without ever printing a key, and revokes by name", async () => {
    const name = `cli-list-${Date.now()}`;
    const created = await capture([
      "subscription",
      "create",
      "--name",
      name,
      "--orgs",
      aFreshFiscalCode(),
      "--products",
      "reporting",
      "--segregation-codes",
      "01,02",
      "--env",
      "PROD",
      "--force",
    ]);
    const key = created.at(-1) ?? "";
    const listed = (await capture(["subscription", "list"])).join("\n");
    expect(listed).toContain(name);
    expect(listed).toContain("segregation-codes=01,02");
    expect(listed).not.toContain(key);
    await capture(["subscription", "revoke", "--name", name]);
    expect((await subscriptionRepository().findByName(name))?.revokedAt).toBeDefined();
  });

  it("upserts and shows an organization, refusing an invalid IBAN", async () => {
    const fiscalCode = aFreshFiscalCode();
    await capture([
      "organization",
      "upsert",
      "--fiscal-code",
      fiscalCode,
      "--name",
      "Comune di Prova",
      "--iban",
      validIban,
      "--aux-digit",
      "0",
    ]);
    const shown = JSON.parse(
      (await capture(["organization", "show", "--fiscal-code", fiscalCode])).join("\n"),
    ) as Record<string, unknown>;
    expect(shown).toMatchObject({ fiscalCode, companyName: "Comune di Prova", auxDigit: "0", ibans: [validIban] });
    await expect(
      capture([
        "organization",
        "upsert",
        "--fiscal-code",
        fiscalCode,
        "--name",
        "X",
        "--iban",
        "IT00X0542811101000000123456",
      ]),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("drops a file into an inbox under the name given, byte for byte", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "gpd-drop-")), "receipt.xml");
    writeFileSync(file, "<paSendRTV2Request/>");
    const name = `r-${Date.now()}.xml`;
    await capture(["inbox", "drop", "--kind", "receipts", "--file", file, "--name", name]);
    const stored = await inboxContainer("receipts").getBlobClient(name).downloadToBuffer();
    expect(stored.toString()).toBe("<paSendRTV2Request/>");
    await expect(capture(["inbox", "drop", "--kind", "payments", "--file", file])).rejects.toThrow(/receipts or flows/);
    await expect(capture(["inbox", "drop", "--kind", "flows", "--file", "/no/such/file.xml"])).rejects.toThrow(
      /cannot read/,
    );
  });

  it("refuses a key for an unregistered organization unless forced, and accepts a registered one", async () => {
    const org = aFreshFiscalCode();
    const name = `cli-unreg-${Date.now()}`;
    await expect(capture(["subscription", "create", "--name", name, "--orgs", org])).rejects.toThrow(
      /not registered.*--force/,
    );
    expect(await subscriptionRepository().findByName(name)).toBeUndefined();
    await capture(["organization", "upsert", "--fiscal-code", org, "--name", "Comune registrato"]);
    const out = await capture(["subscription", "create", "--name", name, "--orgs", org]);
    expect(out.at(-1)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("prints JSON with --json, and lists organizations", async () => {
    const org = aFreshFiscalCode();
    const saved = JSON.parse(
      (
        await capture([
          "organization",
          "upsert",
          "--fiscal-code",
          org,
          "--name",
          "Comune JSON",
          "--broker-code",
          org,
          "--station-code",
          `${org}_01`,
          "--fdr3",
          "on",
          "--json",
        ])
      ).join("\n"),
    ) as Record<string, unknown>;
    expect(saved).toMatchObject({ fiscalCode: org, brokerCode: org, stationCodes: [`${org}_01`], fdr3Enabled: true });
    const listed = JSON.parse((await capture(["organization", "list", "--json"])).join("\n")) as {
      fiscalCode: string;
    }[];
    expect(listed.map((o) => o.fiscalCode)).toContain(org);
    expect((await capture(["organization", "list"])).join("\n")).toMatch(new RegExp(`${org}\\s+Comune JSON`));
    const created = JSON.parse(
      (await capture(["subscription", "create", "--name", `cli-json-${Date.now()}`, "--orgs", org, "--json"])).join(
        "\n",
      ),
    ) as Record<string, unknown>;
    expect(created.key).toMatch(/^[0-9a-f]{64}$/);
    expect(created).not.toHaveProperty("keyHash");
  });

  it("drops every file of a folder, and lists rejected files with their reason", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "gpd-drop-many-"));
    mkdirSync(path.join(folder, "nested"));
    for (let i = 0; i < 12; i++) writeFileSync(path.join(folder, `r${i}.xml`), `<r n="${i}"/>`);
    const out = await capture(["inbox", "drop", "--kind", "flows", folder]);
    expect(out.at(-1)).toBe("12 files dropped into the flows inbox");
    const names: string[] = [];
    for await (const blob of inboxContainer("flows").listBlobsFlat()) names.push(blob.name);
    for (let i = 0; i < 12; i++) expect(names.some((n) => n.endsWith(`-r${i}.xml`))).toBe(true);

    await rejectedContainer("receipts").createIfNotExists();
    const rejectedName = `bad-${Date.now()}.xml`;
    await rejectedContainer("receipts")
      .getBlockBlobClient(rejectedName)
      .uploadData(Buffer.from("<x/>"), { metadata: { reason: "not a paSendRTV2Request" } });
    const listed = (await capture(["receipts", "rejected"])).join("\n");
    expect(listed).toContain(`${rejectedName}  -  not a paSendRTV2Request`);
  });

  it("writes a sample upload and uploads it, waiting for the report", async () => {
    const org = aFreshFiscalCode();
    const broker = aFreshFiscalCode();
    await capture([
      "organization",
      "upsert",
      "--fiscal-code",
      org,
      "--name",
      "Comune",
      "--iban",
      validIban,
      "--broker-code",
      broker,
    ]);
    const key =
      (await capture(["subscription", "create", "--name", `cli-up-${Date.now()}`, "--orgs", org])).at(-1) ?? "";
    const zip = path.join(mkdtempSync(path.join(tmpdir(), "gpd-upload-")), "positions.zip");
    const prefix = `CLI-${Date.now()}`;
    expect(
      (await capture(["upload", "sample", "--org", org, "--count", "30", "--out", zip, "--prefix", prefix])).at(-1),
    ).toMatch(/wrote 30 positions/);
    const out = await capture(["upload", "file", zip, "--org", org, "--key", key, "--wait"]);
    expect(out.join("\n")).toMatch(/COMPLETED: 30\/30/);
    expect(out.at(-1)).toMatch(new RegExp(`^201 CREATED: 30 \\[${prefix}-0, `));
  });

  test.each([
    [["subscription"], /gpd subscription <command>/],
    [["subscription", "--help"], /create\s+create a subscription key/],
    [["subscription", "create", "--help"], /--name N --orgs A,B/],
    [["inbox", "drop", "-h"], /--kind receipts\|flows/],
    [["--help"], /organization list/],
  ])("helps: %j", async (argv, text) => {
    expect((await capture(argv)).join("\n")).toMatch(text);
  });

  test.each([
    [["subscription", "create", "--orgs", "77777777777"], /missing --name/],
    [["subscription", "create", "--name", "x", "--orgs", "77777777777", "--products", "payments"], /unknown product/],
    [["subscription", "create", "--name", "x", "--orgs", "77777777777", "--env", "DEV"], /UAT or PROD/],
    [["subscription", "frobnicate"], /unknown command/],
    [["subscription", "list", "--bogus"], /bogus/],
  ])("refuses bad arguments %j", async (argv, message) => {
    await expect(capture(argv)).rejects.toThrow(UsageError);
    await expect(capture(argv)).rejects.toThrow(message);
  });

  it("as a process: prints the key alone on the last line of stdout and exits 0", async () => {
    const r = await gpd([
      "subscription",
      "create",
      "--name",
      `proc-${Date.now()}`,
      "--orgs",
      aFreshFiscalCode(),
      "--force",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: organization\(s\) not registered/);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("as a process: exits 2 with the usage on bad arguments", async () => {
    const r = await gpd(["subscription", "create"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --name/);
    expect(r.stderr).toMatch(/Usage: gpd subscription create/);
    const unknown = await gpd(["subscription"]);
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toMatch(/Usage: gpd subscription <command>/);
  });

  it("as a process: exits 1 with a clear message when the store cannot be reached", async () => {
    const r = await gpd(["subscription", "list"], testSettings({ COSMOS_ENDPOINT: "http://127.0.0.1:9" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gpd: /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
