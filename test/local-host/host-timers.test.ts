// Timer triggers on the local host: NCRONTAB schedules, %SETTING% resolution, runOnStartup, singleton runs and
// failures that are logged without taking the host down. Observed through the fixture's GET /fixture/state.
import { startFixtureHost, waitFor, type FixtureHost } from "./fixture-host";

let fixture: FixtureHost;

beforeAll(async () => {
  fixture = await startFixtureHost({ env: { SAMPLE_SCHEDULE: "*/2 * * * * *" } });
});

afterAll(async () => {
  await fixture.host.close();
});

test("runOnStartup runs a timer at start even though its schedule is far away", async () => {
  await waitFor(async () => (await fixture.state()).startupRuns >= 1, 2000);
  expect(fixture.logs.some((e) => e.functionName === "onStartup" && e.message.includes("RunOnStartup"))).toBe(true);
});

test("a six-field schedule fires every second and passes an Azure-shaped Timer", async () => {
  const before = (await fixture.state()).ticks;
  await waitFor(async () => (await fixture.state()).ticks >= before + 2, 4000);
  const { lastTimer } = await fixture.state();
  expect(lastTimer).toEqual({
    isPastDue: false,
    schedule: { adjustForDST: true },
    scheduleStatus: { last: expect.any(String), next: expect.any(String), lastUpdated: expect.any(String) },
  });
  expect(Date.parse(lastTimer!.scheduleStatus.next)).toBeGreaterThan(Date.parse(lastTimer!.scheduleStatus.last) - 1);
});

test("a %SETTING% schedule is resolved from the environment and fires", async () => {
  const fromSetting = fixture.host.functions.find((f) => f.name === "fromSetting");
  expect(fromSetting).toMatchObject({ kind: "timer", schedule: "*/2 * * * * *" });
  expect(fromSetting?.error).toBeUndefined();
  await waitFor(async () => (await fixture.state()).settingRuns >= 1, 4000);
});

test("a schedule naming a missing setting puts that function in error and leaves the others running", () => {
  const missing = fixture.host.functions.find((f) => f.name === "missingSetting");
  expect(missing?.error).toContain("SAMPLE_SETTING_NEVER_SET");
  expect(
    fixture.logs.some((e) => e.level === "error" && e.message.includes("'missingSetting' function is in error")),
  ).toBe(true);
});

test("a failing timer is logged with its error and the host keeps serving", async () => {
  await waitFor(async () => (await fixture.state()).failingRuns >= 2, 5000);
  const failures = fixture.logs.filter((e) => e.functionName === "failing" && e.level === "error");
  expect(failures.length).toBeGreaterThanOrEqual(1);
  expect(failures[0]?.message).toContain("boom from failing timer");
  expect(failures[0]?.invocationId).toBeDefined();
  expect((await fetch(`${fixture.host.url}/echo/1`)).status).toBe(201);
});

test("a timer does not start while its previous run is still going", async () => {
  // The slow timer takes 1.5 s on a one-second schedule: every other occurrence must be skipped.
  await waitFor(async () => (await fixture.state()).slowRuns >= 2, 6000);
  const state = await fixture.state();
  expect(state.slowMaxActive).toBe(1);
  expect(fixture.logs.some((e) => e.functionName === "slow" && e.message.includes("previous run is still going"))).toBe(
    true,
  );
});

test("a timer that succeeds logs nothing above debug; a failing one always logs an error", async () => {
  await waitFor(async () => (await fixture.state()).ticks >= 2, 4000);
  const tickLines = fixture.logs.filter((e) => e.functionName === "everySecond" && e.category === "host");
  expect(tickLines.length).toBeGreaterThan(0);
  expect(tickLines.filter((e) => e.level !== "debug")).toEqual([]);
  expect(fixture.logs.some((e) => e.functionName === "failing" && e.category === "host" && e.level === "error")).toBe(
    true,
  );
});
