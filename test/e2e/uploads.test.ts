// Massive upload end to end over the local host: the ZIP goes in over HTTP, chunks go through the real Storage queue
// (Azurite) to the queue-triggered worker the host runs, and the status, report and positions are read back.
import { aFreshIuv, aPositionBody, callApi } from "../support/gpd-client";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aZip, upload, uploadPath, waitForUpload } from "../support/uploads";

jest.setTimeout(Math.max(900_000, Number(process.env.UPLOAD_TEST_POSITIONS ?? "0") * 500));

const iban = "IT60X0542811101000000123456";
/** 300 in `npm test`; `.ci/run` runs it again with UPLOAD_TEST_POSITIONS=10000 (the size large intermediaries send). */
const count = Number(process.env.UPLOAD_TEST_POSITIONS ?? "300");
/** A bound on each wait, not a timing claim: 100 ms a position, over twice the slowest rate seen (41 ms, loaded). */
const wait = { timeoutMs: Math.max(300_000, count * 100) };

let org: string;
let broker: string;
let key: string;

beforeAll(async () => {
  org = aFreshFiscalCode();
  broker = aFreshFiscalCode();
  await anOrganization(org, [iban], [], { brokerCode: broker });
  key = (await aKey({ organizations: [org], products: ["debt-positions"] })).key;
});

const positions = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => aPositionBody({ iupd: `${prefix}-${i}`, iuvs: [aFreshIuv()] }));

interface Report {
  processedItem: number;
  submittedItem: number;
  operationStatus: string;
  responses: { statusCode: number; statusMessage: string; requestIDs: string[] }[];
}

async function reportOf(location: string): Promise<Report> {
  const r = await callApi("GET", location.replace(/\/status$/, "/report"), { key });
  expect(r.status).toBe(200);
  return r.body as Report;
}

const idsWith = (report: Report, statusCode: number) =>
  report.responses.filter((g) => g.statusCode === statusCode).flatMap((g) => g.requestIDs);

describe("massive upload", () => {
  it(`creates, updates and deletes ${count} positions from files, reporting invalid items alone`, async () => {
    const prefix = `UP-${Date.now()}`;
    const bodies = positions(count, prefix);
    // Three invalid items: amounts that do not add up; each must fail alone.
    const invalid = [5, Math.floor(count / 2), count - 1];
    for (const i of invalid) {
      const option = (bodies[i]?.paymentOption as { amount: number }[])[0];
      if (option) option.amount += 1;
    }
    const created = await upload(
      "POST",
      broker,
      org,
      key,
      aZip({ "positions.json": JSON.stringify({ paymentPositions: bodies }) }),
    );
    expect(created.status).toBe(202);
    expect(created.location).toMatch(new RegExp(`^${uploadPath(broker, org)}/file/\\w+/status$`));
    expect(Number(created.retryAfter)).toBeGreaterThanOrEqual(1);

    const early = await callApi("GET", (created.location ?? "").replace(/\/status$/, "/report"), { key });
    const done = await waitForUpload(created.location ?? "", key, wait);
    expect(done).toMatchObject({
      processedItem: count,
      submittedItem: count,
      operationStatus: "COMPLETED_WITH_WARNINGS",
    });
    if (early.status !== 200) expect(early.status).toBe(425);

    const report = await reportOf(created.location ?? "");
    expect(idsWith(report, 201)).toHaveLength(count - invalid.length);
    expect(idsWith(report, 400).sort()).toEqual(invalid.map((i) => `${prefix}-${i}`).sort());
    const sample = await callApi("GET", `/organizations/${org}/debtpositions/${prefix}-7`, { key });
    expect(sample.status).toBe(200);
    expect(
      (await callApi("GET", `/organizations/${org}/debtpositions/${prefix}-${invalid[1] ?? 0}`, { key })).status,
    ).toBe(404);

    // The same file again changes nothing: each valid item is recognised as the creation it already made (the
    // same body, docs/adr/0016) or refused as a conflict, and no stored position is touched.
    const before = await callApi("GET", `/organizations/${org}/debtpositions/${prefix}-7`, { key });
    const again = await upload(
      "POST",
      broker,
      org,
      key,
      aZip({ "p.json": JSON.stringify({ paymentPositions: bodies }) }),
    );
    await waitForUpload(again.location ?? "", key, wait);
    const againReport = await reportOf(again.location ?? "");
    expect(idsWith(againReport, 201).length + idsWith(againReport, 409).length).toBe(count - invalid.length);
    expect(idsWith(againReport, 400).sort()).toEqual(invalid.map((i) => `${prefix}-${i}`).sort());
    const after = await callApi("GET", `/organizations/${org}/debtpositions/${prefix}-7`, { key });
    expect(after.body).toEqual(before.body);

    // Update the valid ones with a new company name.
    const valid = bodies
      .filter((_, i) => !invalid.includes(i))
      .map((b) => ({ ...b, companyName: "Comune aggiornato" }));
    const updated = await upload(
      "PUT",
      broker,
      org,
      key,
      aZip({ "u.json": JSON.stringify({ paymentPositions: valid }) }),
    );
    const updatedStatus = await waitForUpload(updated.location ?? "", key, wait);
    expect(updatedStatus.operationStatus).toBe("COMPLETED");
    const read = await callApi("GET", `/organizations/${org}/debtpositions/${prefix}-7`, { key });
    expect((read.body as { companyName: string }).companyName).toBe("Comune aggiornato");

    // Delete them all, plus one IUPD that never existed.
    const iupds = [...valid.map((b) => String((b as Record<string, unknown>).iupd)), `${prefix}-never`];
    const deleted = await upload(
      "DELETE",
      broker,
      org,
      key,
      aZip({ "d.json": JSON.stringify({ paymentPositionIUPDs: iupds }) }),
    );
    await waitForUpload(deleted.location ?? "", key, wait);
    const deleteReport = await reportOf(deleted.location ?? "");
    expect(idsWith(deleteReport, 200)).toHaveLength(valid.length);
    expect(idsWith(deleteReport, 404)).toEqual([`${prefix}-never`]);
    expect((await callApi("GET", `/organizations/${org}/debtpositions/${prefix}-7`, { key })).status).toBe(404);

    const files = await callApi("GET", `${uploadPath(broker, org)}/files`, { key });
    expect(files.status).toBe(200);
    expect((files.body as { fileIds: string[] }).fileIds).toHaveLength(4);
  });

  it.each([
    ["not a ZIP", Buffer.from("just text"), "NOT A ZIP FILE"],
    ["a ZIP with two entries", aZip({ "a.json": "{}", "b.json": "{}" }), "INVALID FILE"],
    ["a ZIP without JSON", aZip({ "a.csv": "x" }), "INVALID FILE"],
    ["invalid JSON", aZip({ "a.json": "{nope" }), "INVALID JSON"],
    ["JSON of the wrong shape", aZip({ "a.json": JSON.stringify({ paymentPositions: [] }) }), "INVALID FILE"],
    ["a ZIP bomb", aZip({ "bomb.json": new Uint8Array(120 * 1024 * 1024) }), "INVALID FILE"],
  ])("refuses %s at upload with a clear 400, recording nothing", async (_name, zip, title) => {
    const before = await callApi("GET", `${uploadPath(broker, org)}/files`, { key });
    const r = await upload("POST", broker, org, key, zip);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ title, status: 400 });
    const after = await callApi("GET", `${uploadPath(broker, org)}/files`, { key });
    expect((after.body as { fileIds: string[] }).fileIds).toEqual((before.body as { fileIds: string[] }).fileIds);
  });

  it("refuses a broker that is not the organization's, and an unknown upload", async () => {
    const zip = aZip({ "a.json": JSON.stringify({ paymentPositions: positions(1, `X-${Date.now()}`) }) });
    const other = await upload("POST", aFreshFiscalCode(), org, key, zip);
    expect(other.status).toBe(403);
    const unknown = await callApi("GET", `${uploadPath(broker, org)}/file/nosuchfile/status`, { key });
    expect(unknown.status).toBe(404);
    const wrongKey = await upload(
      "POST",
      broker,
      org,
      (await aKey({ organizations: [org], products: ["receipts"] })).key,
      zip,
    );
    expect(wrongKey.status).toBe(403);
  });
});
