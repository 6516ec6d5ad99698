// The errors a newcomer meets on the first day, over HTTP against the local host: each keeps the contract's title
// and status (checked against openapi/debt-positions.json) and says what to change — cents, not euros; which
// identifier is taken; which position of a bulk; the missing page; the field or parameter that does not exist.
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";
import { expectResponseMatches } from "../support/openapi";

const org = aFreshFiscalCode();
let key = "";
const positions = `/organizations/${org}/debtpositions`;
const template = "/organizations/{organizationfiscalcode}/debtpositions";

beforeAll(async () => {
  await anOrganization(org, [registeredIban]);
  key = (await aKey({ organizations: [org] })).key;
});

async function refused(method: string, path: string, pathTemplate: string, body?: unknown): Promise<ApiResponse> {
  const r = await callApi(method, path, { key, ...(body === undefined ? {} : { body }) });
  expectResponseMatches("debt-positions", method, pathTemplate, r.status, r.body, r.contentType);
  return r;
}

type Body = Record<string, unknown> & { paymentOption: { amount: number; transfer: { amount: number }[] }[] };

it("an amount in euros is refused saying amounts are cents, and what the value would be", async () => {
  const body = aPositionBody() as Body;
  body.paymentOption[0]!.amount = 100.5;
  body.paymentOption[0]!.transfer[0]!.amount = 100.5;
  const r = await refused("POST", positions, template, body);
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({
    title: "BAD REQUEST",
    detail:
      "paymentOption[0].amount: Invalid value 100.5 for property amount; amounts are whole euro cents (100.5 € is 10050), " +
      "paymentOption[0].transfer[0].amount: Invalid value 100.5 for property amount; amounts are whole euro cents (100.5 € is 10050)",
  });
});

it("a taken IUPD and a taken IUV are told apart, under the contract's one title", async () => {
  const first = aPositionBody();
  expect((await callApi("POST", positions, { key, body: first })).status).toBe(201);
  const iuv = (first.paymentOption as { iuv: string }[])[0]!.iuv;

  const sameIupd = await refused("POST", positions, template, aPositionBody({ iupd: first.iupd as string }));
  expect(sameIupd.status).toBe(409);
  expect(sameIupd.body).toEqual({
    title: "The debt position violated constraints of uniqueness",
    status: 409,
    detail: `A debt position with IUPD ${first.iupd as string} already exists for the Organization Fiscal Code ${org}`,
  });
  const sameIuv = await refused("POST", positions, template, aPositionBody({ iuvs: [iuv] }));
  expect(sameIuv.status).toBe(409);
  expect(sameIuv.body).toMatchObject({
    title: "The debt position violated constraints of uniqueness",
    detail: `The IUV ${iuv} is already used by another debt position of the Organization Fiscal Code ${org}`,
  });
});

describe("a refused bulk names the position: its index and its IUPD", () => {
  const bulk = `${positions}/bulk`;
  const bulkTemplate = `${template}/bulk`;

  it("for a business rule", async () => {
    const wrong = aPositionBody() as Body;
    wrong.paymentOption[0]!.transfer[0]!.amount = 5;
    const r = await refused("POST", bulk, bulkTemplate, { paymentPositions: [aPositionBody(), wrong] });
    expect(r.status).toBe(400);
    expect((r.body as { detail: string }).detail).toMatch(
      new RegExp(`^paymentPositions\\[1\\] \\(iupd ${wrong.iupd as string}\\): Amounts congruence error`),
    );
  });

  it("for an identifier used twice in the request, or already used by a stored position", async () => {
    const a = aPositionBody();
    const twice = aPositionBody({ iuvs: [(a.paymentOption as { iuv: string }[])[0]!.iuv] });
    const inRequest = await refused("POST", bulk, bulkTemplate, { paymentPositions: [a, twice] });
    expect(inRequest.status).toBe(409);
    expect((inRequest.body as { detail: string }).detail).toBe(
      `paymentPositions[1] (iupd ${twice.iupd as string}): the IUV ${(a.paymentOption as { iuv: string }[])[0]!.iuv} ` +
        "is already used by paymentPositions[0] of this request",
    );

    const stored = aPositionBody();
    expect((await callApi("POST", positions, { key, body: stored })).status).toBe(201);
    const clash = aPositionBody({ iuvs: [aFreshIuv(), (stored.paymentOption as { iuv: string }[])[0]!.iuv] });
    const r = await refused("POST", bulk, bulkTemplate, {
      paymentPositions: [aPositionBody(), aPositionBody(), clash],
    });
    expect(r.status).toBe(409);
    expect((r.body as { detail: string }).detail).toMatch(
      new RegExp(`^paymentPositions\\[2\\] \\(iupd ${clash.iupd as string}\\): The IUV \\d+ is already used`),
    );
  });
});

it("a list without page says plainly that page is required", async () => {
  const r = await refused("GET", positions, template);
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({
    detail: "The query parameter page is required: the page to return, from 0 (e.g. ?page=0&limit=50)",
  });
});

it("unknown query parameters and body fields are refused by name; the key and segregation codes are not", async () => {
  const list = await refused("GET", `${positions}?page=0&limt=10`, template);
  expect(list.status).toBe(400);
  expect(list.body).toMatchObject({
    detail: expect.stringMatching(/^Unknown query parameter limt: this operation takes limit, page/) as unknown,
  });

  const create = await refused("POST", `${positions}?topublish=true`, template, aPositionBody());
  expect(create.status).toBe(400);
  expect(create.body).toMatchObject({ detail: "Unknown query parameter topublish: this operation takes toPublish" });

  const body = { ...aPositionBody(), dueDate: "2026-12-31T00:00:00Z" };
  const field = await refused("POST", positions, template, body);
  expect(field.status).toBe(400);
  expect(field.body).toMatchObject({ detail: "dueDate: unknown field (not in PaymentPositionModel)" });

  const fine = await callApi("GET", `${positions}?page=0&segregationCodes=01&subscription-key=${key}`);
  expect(fine.status).toBe(200);
});
