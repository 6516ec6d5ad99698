// The CLI contract used by npm start and the jest global setup: `node dist/local/host/main.js --port <p> --app <main>`
// with settings in the environment. Runs in a real child Node process, so `@azure/functions-core` is resolved by the
// Module._resolveFilename hook rather than jest's moduleNameMapper. The sources are compiled with swc into a temp dir
// so the test does not depend on `npm run build`.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { transformFileSync } from "@swc/core";
import { fixtureApp, fixtureHostJson } from "./fixture-host";

const repoRoot = path.resolve(__dirname, "..", "..");
let buildDir: string;

function compile(source: string, target: string): void {
  const { code } = transformFileSync(source, {
    jsc: { target: "es2022", parser: { syntax: "typescript" } },
    module: { type: "commonjs" },
  });
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, code);
}

beforeAll(() => {
  buildDir = mkdtempSync(path.join(os.tmpdir(), "gpd-local-host-"));
  const hostDir = path.join(repoRoot, "local", "host");
  for (const file of readdirSync(hostDir).filter((f) => f.endsWith(".ts"))) {
    compile(path.join(hostDir, file), path.join(buildDir, "local", "host", file.replace(/\.ts$/, ".js")));
  }
  compile(fixtureApp, path.join(buildDir, "app", "sample-app.js"));
});

afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  exit: Promise<number | null>;
}

function launch(args: string[]): Started {
  const child = spawn(process.execPath, [path.join(buildDir, "local", "host", "main.js"), ...args], {
    cwd: repoRoot,
    // The compiled files live outside the repo, so point module resolution at its node_modules.
    env: { ...process.env, NODE_PATH: path.join(repoRoot, "node_modules"), SAMPLE_SCHEDULE: "*/3 * * * * *" },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      resolve(code);
    }),
  );
  return { child, stdout: () => out, exit };
}

async function listeningUrl(started: Started): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = /functions host listening on (http:\/\/\S+) \((\d+) functions\)/.exec(started.stdout());
    if (match?.[1]) return match[1];
    if (Date.now() > deadline || started.child.exitCode !== null)
      throw new Error(`host did not start:\n${started.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("main.js serves the app, lists its functions, logs invocations and exits cleanly on SIGTERM", async () => {
  const started = launch([
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--app",
    path.join(buildDir, "app", "sample-app.js"),
    "--host-json",
    fixtureHostJson,
  ]);
  try {
    const url = await listeningUrl(started);
    expect(started.stdout()).toContain(`(22 functions)`);
    expect(started.stdout()).toContain(`echo: [GET,POST,PUT] ${url}/echo/{id:int}/{name?}`);
    expect(started.stdout()).toContain("fromSetting: timerTrigger (schedule */3 * * * * *)");
    expect(started.stdout()).toContain("onStartup: timerTrigger (schedule 0 0 0 1 1 *, runOnStartup)");

    const response = await fetch(`${url}/echo/5`);
    expect(response.status).toBe(201);
    const { invocationId } = (await response.json()) as { invocationId: string };
    expect(started.stdout()).toMatch(
      new RegExp(`\\d{4}-\\d\\d-\\d\\dT\\S+Z \\[information\\] echo \\(${invocationId}\\) echo called`),
    );

    started.child.kill("SIGTERM");
    expect(await started.exit).toBe(0);
  } finally {
    if (started.child.exitCode === null) started.child.kill("SIGKILL");
  }
});

test("main.js exits with 1 and a reason when the app cannot be loaded", async () => {
  const started = launch(["--port", "0", "--app", path.join(buildDir, "app", "missing.js")]);
  expect(await started.exit).toBe(1);
  expect(started.stdout()).toContain("Failed to load the function app");
});
