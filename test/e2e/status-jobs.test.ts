// Issue 4's walk-through over HTTP: a position whose due date passes reads EXPIRED at once, and the expiry job run
// through the admin endpoint persists it, so the list filtered by status shows it.
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aPositionBody, baseUrl, callApi, registeredIban } from "../support/gpd-client";
import { cosmosClient, testConfig } from "../support/stack";
import { runJobNow } from "../support/jobs";

describe("status jobs through the local host", () => {
  it("reads EXPIRED once the due date passes and persists it when expireDebtPositions runs", async () => {
    const org = aFreshFiscalCode();
    await anOrganization(org, [registeredIban]);
    const { key } = await aKey({ organizations: [org] });
    const body = aPositionBody({ switchToExpired: true, dueDate: new Date(Date.now() + 1500).toISOString() });
    const iupd = body.iupd as string;
    expect((await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, { key, body })).status).toBe(
      201,
    );
    expect((await callApi("GET", `/organizations/${org}/debtpositions/${iupd}`, { key })).body).toMatchObject({
      status: "VALID",
    });

    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect((await callApi("GET", `/organizations/${org}/debtpositions/${iupd}`, { key })).body).toMatchObject({
      status: "EXPIRED",
    });

    expect(await runJobNow("expireDebtPositions")).toMatchObject({ status: "succeeded" });
    const { resource } = await cosmosClient()
      .database(testConfig().cosmos.database)
      .container(containers.debtpositions)
      .item(`position:${iupd}`, org)
      .read<{ status: string }>();
    expect(resource?.status).toBe("EXPIRED");
    const listed = (await callApi("GET", `/organizations/${org}/debtpositions?page=0&status=EXPIRED`, { key }))
      .body as {
      payment_position_list: { iupd: string }[];
    };
    expect(listed.payment_position_list.map((p) => p.iupd)).toEqual([iupd]);
  });

  it("answers 404 for an unknown function name", async () => {
    const r = await fetch(`${baseUrl()}/admin/functions/noSuchJob`, { method: "POST", body: "{}" });
    expect(r.status).toBe(404);
  });
});
