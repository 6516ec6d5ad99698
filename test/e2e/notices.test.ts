// Payment notices over HTTP through the local host: the PDF of a VALID position downloads and reads back (QR code,
// Poste data matrix, text) as a phone would; positions that cannot be paid answer 409, unknown ones 404, other
// segregation codes 403; a batch is accepted with 202, rendered by renderNoticeJob and downloads from its link.
// Every answer is checked against openapi/notices.json.
import { randomUUID } from "node:crypto";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { aRegisteredPostalIban } from "../support/builders";
import { aFreshIuv, aPositionBody, baseUrl, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";
import { aFreshFiscalCode, aKey, organizationRepository } from "../support/keys";
import { expectResponseMatches } from "../support/openapi";
import { flat, readPdf } from "../support/read-pdf";
import { unzip } from "../support/unzip";

jest.setTimeout(180_000);

const noticePath = "/organizations/{organizationfiscalcode}/debtpositions/{iupd}/notice";
const jobsPath = "/organizations/{organizationfiscalcode}/notices";
const jobPath = "/organizations/{organizationfiscalcode}/notices/{jobId}";

interface NoticeJobBody {
  jobId: string;
  status: string;
  total?: number;
  rendered: number;
  skipped: number;
  skippedPositions: { iupd: string; reason: string }[];
  download?: { url: string; contentType: string; size: number };
}

async function getNotice(org: string, iupd: string, key: string, accept = "application/pdf") {
  const response = await fetch(`${baseUrl()}/organizations/${org}/debtpositions/${encodeURIComponent(iupd)}/notice`, {
    headers: { "Ocp-Apim-Subscription-Key": key, Accept: accept },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get("content-type");
  const body: unknown =
    contentType?.includes("json") === true ? JSON.parse(bytes.toString("utf8")) : bytes.toString("latin1");
  expectResponseMatches("notices", "GET", noticePath, response.status, body, contentType);
  return {
    status: response.status,
    contentType,
    bytes,
    body,
    disposition: response.headers.get("content-disposition"),
  };
}

async function checked(
  method: string,
  template: string,
  path: string,
  key: string,
  body?: unknown,
): Promise<ApiResponse> {
  const response = await callApi(method, path, { key, ...(body === undefined ? {} : { body }) });
  expectResponseMatches(
    "notices",
    method,
    template,
    response.status,
    response.body ?? response.text,
    response.contentType,
  );
  return response;
}

describe("payment notices through the local host", () => {
  const org = aFreshFiscalCode();
  let key = "";
  let otherSegregationKey = "";
  let validIupd = "";
  let validNav = "";
  let draftIupd = "";
  const dueDate = "2031-03-31T10:00:00.000Z";

  async function createPosition(
    toPublish: boolean,
    amount: number,
    iuv = aFreshIuv(),
  ): Promise<{ iupd: string; nav: string }> {
    const body = aPositionBody({ iuvs: [iuv], amount, dueDate, description: "Refezione scolastica marzo" });
    const options = body.paymentOption as { transfer: Record<string, unknown>[] }[];
    for (const option of options) for (const transfer of option.transfer) transfer.postalIban = aRegisteredPostalIban;
    const created = await callApi("POST", `/organizations/${org}/debtpositions?toPublish=${toPublish}`, { key, body });
    expect(created.status).toBe(201);
    return {
      iupd: body.iupd as string,
      nav: (created.body as { paymentOption: { nav: string }[] }).paymentOption[0]?.nav ?? "",
    };
  }

  beforeAll(async () => {
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "Comune di Avvisopoli",
        ibans: [registeredIban],
        postalIbans: [aRegisteredPostalIban],
        cbill: "ZZ999",
        now: new Date(),
      }),
    );
    key = (await aKey({ organizations: [org], products: ["debt-positions"] })).key;
    otherSegregationKey = (await aKey({ organizations: [org], products: ["debt-positions"], segregationCodes: ["02"] }))
      .key;
    ({ iupd: validIupd, nav: validNav } = await createPosition(true, 4321));
    ({ iupd: draftIupd } = await createPosition(false, 1000));
  });

  it("downloads the notice of a VALID position as a PDF whose QR code decodes to pagoPA's payload", async () => {
    const response = await getNotice(org, validIupd, key);
    expect(response.status).toBe(200);
    expect(response.contentType).toBe("application/pdf");
    expect(response.disposition).toBe(`attachment; filename="avviso-${validIupd}.pdf"`);
    const [page] = await readPdf(response.bytes);
    expect(page?.qrCodes).toEqual([`PAGOPA|002|${validNav}|${org}|4321`]);
    const dataMatrix = page?.dataMatrices[0] ?? "";
    expect(dataMatrix.slice(0, 13)).toBe("codfase=NBPA;");
    expect(dataMatrix.slice(15, 33)).toBe(validNav);
    expect(dataMatrix.slice(35, 47)).toBe("001234567890");
    expect(dataMatrix.slice(49, 59)).toBe("0000004321");
    expect(dataMatrix.slice(66, 77)).toBe(org);
    const text = flat(page?.text ?? "");
    expect(text).toContain(validNav.replace(/(\d{4})(?=\d)/g, "$1 "));
    expect(text).toContain("43,21");
    expect(text).toContain("31/03/2031");
    expect(text).toContain("Comune di Avvisopoli");
    expect(text).toContain("ZZ999");
    expect(text).toContain("Refezione scolastica marzo");
  });

  it("answers 409 with a clear title for a position that cannot be paid (DRAFT)", async () => {
    const response = await getNotice(org, draftIupd, key);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      title: "No payment notice for a debt position that cannot be paid",
      detail: expect.stringContaining("is DRAFT") as string,
    });
  });

  it("answers 404 for an unknown position, 403 outside the key's segregation codes, 406 when PDF is not accepted", async () => {
    expect((await getNotice(org, "NO-SUCH-IUPD", key)).status).toBe(404);
    expect((await getNotice(org, validIupd, otherSegregationKey)).status).toBe(403);
    expect((await getNotice(org, validIupd, key, "text/html")).status).toBe(406);
    expect((await getNotice(org, validIupd, key, "application/pdf;q=0, text/html")).status).toBe(406);
    expect((await getNotice(org, "bad/iupd%3F", key)).status).toBeGreaterThanOrEqual(400);
  });

  it("renders a batch: 202 with the job, the host's queue trigger runs it, then a ZIP at its link", async () => {
    const accepted = await checked("POST", jobsPath, `/organizations/${org}/notices`, key, {
      iupds: [validIupd, draftIupd],
      format: "ZIP",
    });
    expect(accepted.status).toBe(202);
    const job = accepted.body as NoticeJobBody;
    expect(job.status).toBe("QUEUED");
    const statusPath = `/organizations/${org}/notices/${job.jobId}`;

    let current = job;
    for (let i = 0; i < 1200 && current.status !== "COMPLETED" && current.status !== "FAILED"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = (await checked("GET", jobPath, statusPath, key)).body as NoticeJobBody;
    }
    expect(current).toMatchObject({ status: "COMPLETED", total: 2, rendered: 1, skipped: 1 });
    expect(current.skippedPositions).toEqual([
      { iupd: draftIupd, reason: expect.stringContaining("is DRAFT") as string },
    ]);
    expect(current.download?.contentType).toBe("application/zip");

    const archive = Buffer.from(await (await fetch(current.download?.url ?? "")).arrayBuffer());
    expect(archive.length).toBe(current.download?.size);
    const entries = await unzip(archive);
    expect([...entries.keys()]).toEqual([`avviso-${validIupd}.pdf`]);
    const [page] = await readPdf(entries.get(`avviso-${validIupd}.pdf`) ?? Buffer.alloc(0));
    expect(page?.qrCodes).toEqual([`PAGOPA|002|${validNav}|${org}|4321`]);
  });

  it.each([
    ["no selection", { format: "ZIP" }],
    ["both selections", { iupds: ["A"], filter: {} }],
    ["an empty list", { iupds: [] }],
    ["an unknown format", { iupds: ["A"], format: "DOCX" }],
    ["an unknown field", { iupds: ["A"], everything: true }],
    ["a reversed window", { filter: { dueDateFrom: "2031-12-31", dueDateTo: "2031-01-01" } }],
    ["a date that is not one", { filter: { dueDateFrom: "2031-02-30" } }],
    ["an IUPD with a slash", { iupds: ["a/b"] }],
  ])("refuses a batch with %s: 400", async (_label, body) => {
    const response = await checked("POST", jobsPath, `/organizations/${org}/notices`, key, body);
    expect(response.status).toBe(400);
  });

  it("answers 404 for an unknown job or another organization's job, 400 for a job id that is not a UUID", async () => {
    expect((await checked("GET", jobPath, `/organizations/${org}/notices/${randomUUID()}`, key)).status).toBe(404);
    expect((await checked("GET", jobPath, `/organizations/${org}/notices/not-a-uuid`, key)).status).toBe(400);
    const other = aFreshFiscalCode();
    await organizationRepository().upsert(
      newOrganization({ fiscalCode: other, companyName: "Altro Comune", now: new Date() }),
    );
    const otherKey = (await aKey({ organizations: [other], products: ["debt-positions"] })).key;
    const accepted = await checked("POST", jobsPath, `/organizations/${org}/notices`, key, { iupds: [validIupd] });
    const jobId = (accepted.body as NoticeJobBody).jobId;
    expect((await checked("GET", jobPath, `/organizations/${other}/notices/${jobId}`, otherKey)).status).toBe(404);
  });

  it("answers 404 for a batch of an organization that is not registered", async () => {
    const unregistered = aFreshFiscalCode();
    const k = (await aKey({ organizations: [unregistered], products: ["debt-positions"] })).key;
    const response = await checked("POST", jobsPath, `/organizations/${unregistered}/notices`, k, { iupds: ["A"] });
    expect(response.status).toBe(404);
  });
});
