// Batched IUV lookups for the flow jobs (docs/adr/0035-fdr3-revisions.md, "Round trips"): one query over the IUV
// claim documents and one over the positions they name, per hundred IUVs, instead of a claim read plus a position read
// per IUV. Both queries stay inside the organization's partition (and name it in the WHERE clause, which the npm
// emulator needs: it ignores the partitionKey option — docs/adr/0002).
import type { Container } from "@azure/cosmos";
import type { DebtPosition } from "../../domain/debt-positions/model";
import type { Versioned } from "../../domain/debt-positions/ports";
import type { PositionLookup } from "../../domain/reporting/ports";
import { cosmosFailure } from "./cosmos-errors";
import { DomainError } from "../../domain/errors";
import { iuvClaimId, positionId, readClaim, readDocument } from "./debt-position-document";

export class CosmosPositionLookup implements PositionLookup {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async findByIuvs(organization: string, iuvs: readonly string[]): Promise<Map<string, Versioned<DebtPosition>>> {
    const found = new Map<string, Versioned<DebtPosition>>();
    if (iuvs.length === 0) return found;
    const options = { partitionKey: organization, maxItemCount: Math.max(iuvs.length, 1) };
    try {
      const claims = await this.#container.items
        .query<unknown>(
          {
            query:
              "SELECT c.id, c.kind, c.organizationFiscalCode, c.iupd FROM c WHERE c.organizationFiscalCode = @org AND ARRAY_CONTAINS(@ids, c.id)",
            parameters: [
              { name: "@org", value: organization },
              { name: "@ids", value: iuvs.map(iuvClaimId) },
            ],
          },
          options,
        )
        .fetchAll();
      const iupdByClaim = new Map<string, string>();
      for (const claim of claims.resources.map(readClaim)) if (claim) iupdByClaim.set(claim.id, claim.iupd);
      const iupds = [...new Set(iupdByClaim.values())];
      if (iupds.length === 0) return found;
      const positions = await this.#container.items
        .query<unknown>(
          {
            query: "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND ARRAY_CONTAINS(@ids, c.id)",
            parameters: [
              { name: "@org", value: organization },
              { name: "@ids", value: iupds.map(positionId) },
            ],
          },
          { partitionKey: organization, maxItemCount: Math.max(iupds.length, 1) },
        )
        .fetchAll();
      const byIupd = new Map<string, Versioned<DebtPosition>>();
      for (const r of positions.resources) {
        const read = readDocument(r);
        // A position that no longer parses cannot be reported: the flow waits in its inbox, named in the job's log,
        // until an operator repairs the position (docs/adr/0065-unreadable-stored-positions.md).
        if (!read.ok) {
          throw new DomainError(
            "DEBT_POSITION_UNREADABLE",
            `The debt position document ${read.id} of organization ${organization} can no longer be read (${read.reason})`,
          );
        }
        byIupd.set(read.position.iupd, { value: read.position, etag: read.etag });
      }
      for (const iuv of iuvs) {
        const iupd = iupdByClaim.get(iuvClaimId(iuv));
        const position = iupd === undefined ? undefined : byIupd.get(iupd);
        // The claim and the position are written in one batch; a position that no longer holds the IUV (an update
        // between the two queries) is treated as not found for this IUV.
        if (position?.value.paymentOption.some((o) => o.iuv === iuv) === true) found.set(iuv, position);
      }
      return found;
    } catch (e) {
      throw cosmosFailure(e, "look up", "payment options");
    }
  }
}
