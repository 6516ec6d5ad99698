// GET /openapi.json over HTTP against the local host running the compiled app (GPD_TEST_BASE_URL).
import { readCheckedResponse } from "../support/openapi";
import { aFreshFiscalCode, aKey } from "../support/keys";
import { testBaseUrl } from "../support/stack";

const baseUrl = (): string => {
  const url = testBaseUrl();
  if (url === undefined) throw new Error("no test host: run `npm run build` first");
  return url;
};

const get = async (query: string, headers: Record<string, string> = {}) =>
  readCheckedResponse<Record<string, unknown>>(
    "debt-positions",
    "GET",
    "/openapi.json",
    await fetch(`${baseUrl()}/openapi.json${query}`, { headers }),
  );

describe("GET /openapi.json", () => {
  let key: string;

  beforeAll(async () => {
    key = (await aKey({ organizations: [aFreshFiscalCode()], products: ["receipts"] })).key;
  });

  it("answers any valid key with the three documents merged", async () => {
    const r = await get("", { "Ocp-Apim-Subscription-Key": key });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(r.body.paths as object)).toEqual(
      expect.arrayContaining([
        "/info",
        "/openapi.json",
        "/organizations/{organizationfiscalcode}/debtpositions",
        "/payments/{organizationfiscalcode}/receipts",
        "/organizations/{organizationId}/reportings/{flowId}/date/{date}",
      ]),
    );
    expect(r.body.servers).toEqual([expect.objectContaining({ url: "http://localhost:7071" })]);
  });

  test.each(["debt-positions", "receipts", "reporting", "uploads"])(
    "answers ?api=%s with that document alone",
    async (api) => {
      const r = await get(`?api=${api}&subscription-key=${key}`);
      expect(r.status).toBe(200);
      const servers = r.body.servers as { url: string }[];
      expect(servers.map((s) => s.url)).toContain(`https://{apimGateway}/gpd/${api}/v1`);
    },
  );

  it("refuses an unknown api with 400 ProblemJson", async () => {
    const r = await get("?api=everything", { "Ocp-Apim-Subscription-Key": key });
    expect(r.status).toBe(400);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
  });

  it("refuses a call without a key with 401 ProblemJson and an X-Request-Id", async () => {
    const r = await get("", { "X-Request-Id": "openapi-no-key" });
    expect(r.status).toBe(401);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.requestId).toBe("openapi-no-key");
  });
});
