// `npm start`'s ready line suggests the first commands to run: run exactly as printed, in order, against the test
// stack, they register the sample organization and create a key for it (a key for an unregistered organization would
// be refused); once that is done the line suggests only what still works.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readyMessage } from "../../local/ready-line";
import { baseProcessEnv, repositoryRoot, testSettings } from "../support/stack";

/** The indented command lines of the message, as a reader would paste them. */
const commandsOf = (message: string): string[] =>
  message
    .split("\n")
    .filter((line) => line.startsWith("  npm run gpd -- "))
    .map((line) => line.trim());

/** Runs the commands in one bash, as pasted; asynchronously, since the test's Cosmos emulator may share this process. */
async function paste(commands: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      "bash",
      ["-c", ["set -euo pipefail", ...commands].join("\n")],
      {
        cwd: repositoryRoot,
        env: { ...baseProcessEnv(), ...testSettings() },
        timeout: 120_000,
      },
    );
    return { status: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code: number; stdout: string; stderr: string };
    return { status: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

it("on a fresh stack: register the sample organization, then create its key; both work as printed", async () => {
  const message = readyMessage("http://127.0.0.1:7071", 1234, {
    sampleOrganizationRegistered: false,
    devKeyExists: false,
  });
  expect(message.split("\n")[0]).toBe(
    "GPD is up on http://127.0.0.1:7071, API docs on http://127.0.0.1:7071/docs (1234 ms). First calls (README.md), a key for the sample organization:",
  );
  const commands = commandsOf(message);
  expect(commands.map((c) => c.split(" ").slice(4, 6).join(" "))).toEqual([
    "organization upsert",
    "subscription create",
  ]);
  const run = await paste(commands);
  expect(run.stderr).not.toMatch(/not registered|warning/);
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(/^[0-9a-f]{64}$/);
});

it("once both exist: only another key is suggested, and it works", async () => {
  const message = readyMessage("http://127.0.0.1:7071", 1, { sampleOrganizationRegistered: true, devKeyExists: true });
  const commands = commandsOf(message);
  expect(commands).toHaveLength(1);
  expect(commands[0]).toMatch(/^npm run gpd -- subscription create --name dev-2 /);
  const run = await paste(commands);
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(/^[0-9a-f]{64}$/);
});
