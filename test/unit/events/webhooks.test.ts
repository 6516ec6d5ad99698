import { DomainError } from "../../../shared/domain/errors";
import {
  checkReceiverUrl,
  defaultRetrySchedule,
  isAllowedAddress,
  newWebhook,
  parseRetrySchedule,
  retryDelay,
  wants,
} from "../../../shared/domain/events/webhooks";

const azure = { allowLocalhost: false };
const local = { allowLocalhost: true };

describe("receiver URLs (SSRF rules)", () => {
  test.each([
    ["https://hooks.example.org/gpd", azure, undefined],
    ["http://hooks.example.org/gpd", azure, "url must be https"],
    ["http://localhost:8080/hook", azure, "url must be https"],
    ["https://localhost/hook", azure, "url must not point to localhost"],
    ["https://10.1.2.3/hook", azure, "url must not point to a private or reserved address"],
    ["https://169.254.169.254/metadata", azure, "url must not point to a private or reserved address"],
    ["https://[::1]/hook", azure, "url must not point to a private or reserved address"],
    ["https://[fe80::1]/hook", azure, "url must not point to a private or reserved address"],
    ["https://[::ffff:192.168.1.1]/hook", azure, "url must not point to a private or reserved address"],
    ["https://user:pw@hooks.example.org/", azure, "url must not carry credentials"],
    ["ftp://hooks.example.org/", azure, "url must be https"],
    ["not a url", azure, "url must be an absolute URL"],
    ["http://localhost:8080/hook", local, undefined],
    ["http://127.0.0.1:8080/hook", local, undefined],
    ["http://10.0.0.1/hook", local, "url must be https (or http://localhost)"],
    ["https://192.168.0.10/hook", local, "url must not point to a private or reserved address"],
  ])("%s (%o) → %s", (url, policy, problem) => {
    expect(checkReceiverUrl(url, policy)).toBe(problem);
  });

  it("judges resolved addresses, loopback only locally", () => {
    expect(isAllowedAddress("93.184.216.34", azure)).toBe(true);
    expect(isAllowedAddress("2606:2800:220:1:248:1893:25c8:1946", azure)).toBe(true);
    for (const a of [
      "127.0.0.1",
      "10.0.0.1",
      "172.20.1.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "::1",
      "fd00::1",
      "::ffff:10.0.0.1",
      "0.0.0.0",
    ]) {
      expect([a, isAllowedAddress(a, azure)]).toEqual([a, false]);
    }
    expect(isAllowedAddress("127.0.0.1", local)).toBe(true);
    expect(isAllowedAddress("10.0.0.1", local)).toBe(false);
  });
});

describe("newWebhook", () => {
  const ctx = { organizationFiscalCode: "77777777777", cursor: 41, now: new Date("2026-11-30T10:00:00Z") };

  it("starts at the feed's end with a fresh whsec_ secret", () => {
    const w = newWebhook(
      { url: "https://hooks.example.org/", types: ["debt-position.paid", "debt-position.paid"] },
      ctx,
      azure,
    );
    expect(w).toMatchObject({
      status: "active",
      cursor: 41,
      attempts: 0,
      failing: false,
      types: ["debt-position.paid"],
    });
    expect(w.id).toMatch(/^wh_[0-9a-f]{24}$/);
    expect(w.secret).toMatch(/^whsec_/);
  });

  it("lists every problem in one 400", () => {
    let caught: unknown;
    try {
      newWebhook({ url: "http://example.org", types: ["nope"] }, ctx, azure);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).status).toBe(400);
    expect((caught as DomainError).detail).toMatch(/https.*unknown event types: nope/);
  });

  it("hears only its types and, for a key limited to some codes, only those codes", () => {
    expect(wants({ types: ["receipt.created"], segregationCodes: undefined }, "receipt.created", ["01"])).toBe(true);
    expect(wants({ types: ["receipt.created"], segregationCodes: undefined }, "debt-position.paid", ["01"])).toBe(
      false,
    );
    expect(wants({ types: ["receipt.created"], segregationCodes: ["02"] }, "receipt.created", ["01"])).toBe(false);
  });
});

describe("retries", () => {
  it("parses the default schedule and refuses a malformed one", () => {
    expect(parseRetrySchedule(defaultRetrySchedule)).toEqual([
      5e3, 30e3, 120e3, 600e3, 3600e3, 10800e3, 21600e3, 43200e3, 86400e3,
    ]);
    expect(parseRetrySchedule("5s, 1d")).toEqual([5e3, 86400e3]);
    for (const bad of ["", "5", "5x", "5s,,1m", "-5s"])
      expect([bad, parseRetrySchedule(bad)]).toEqual([bad, undefined]);
  });

  it("jitters each pause within ±20% and ends after the last one", () => {
    const schedule = [1000, 60000];
    expect(retryDelay(schedule, 1, () => 0)).toBe(800);
    expect(retryDelay(schedule, 1, () => 1)).toBe(1200);
    expect(retryDelay(schedule, 2, () => 0.5)).toBe(60000);
    expect(retryDelay(schedule, 3, () => 0.5)).toBeUndefined();
  });
});
