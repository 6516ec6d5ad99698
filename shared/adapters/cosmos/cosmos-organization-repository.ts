// Organizations in Cosmos: one document per EC, id = fiscal code, partitioned by /id.
import type { Container, ItemDefinition } from "@azure/cosmos";
import { z } from "zod";
import { auxDigits, type Organization, type OrganizationRepository } from "../../domain/organizations/organization";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";

const organizationDocumentSchema = z.object({
  id: z.string(),
  companyName: z.string(),
  auxDigit: z.enum(auxDigits).catch("3"),
  ibans: z.array(z.string()).catch([]),
  postalIbans: z.array(z.string()).catch([]),
  brokerCode: z.string().optional().catch(undefined),
  stationCodes: z.array(z.string()).catch([]),
  cbill: z.string().optional().catch(undefined),
  fdr3Enabled: z.boolean().catch(false),
  updatedAt: z.string(),
});

const toOrganization = (d: z.infer<typeof organizationDocumentSchema>): Organization => ({
  fiscalCode: d.id,
  companyName: d.companyName,
  auxDigit: d.auxDigit,
  ibans: d.ibans,
  postalIbans: d.postalIbans,
  brokerCode: d.brokerCode,
  stationCodes: d.stationCodes,
  cbill: d.cbill,
  fdr3Enabled: d.fdr3Enabled,
  updatedAt: d.updatedAt,
});

export class CosmosOrganizationRepository implements OrganizationRepository {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async find(fiscalCode: string): Promise<Organization | undefined> {
    try {
      const { resource } = await this.#container.item(fiscalCode, fiscalCode).read<ItemDefinition>();
      if (resource === undefined) return undefined;
      const parsed = organizationDocumentSchema.safeParse(resource);
      return parsed.success ? toOrganization(parsed.data) : undefined;
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "organization");
    }
  }

  async findMany(fiscalCodes: readonly string[]): Promise<Map<string, Organization>> {
    const unique = [...new Set(fiscalCodes)];
    const found = new Map<string, Organization>();
    if (unique.length === 1 && unique[0] !== undefined) {
      const organization = await this.find(unique[0]);
      if (organization) found.set(organization.fiscalCode, organization);
      return found;
    }
    if (unique.length === 0) return found;
    try {
      const { resources } = await this.#container.items
        .query<unknown>({
          query: "SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.id)",
          parameters: [{ name: "@ids", value: unique }],
        })
        .fetchAll();
      for (const r of resources) {
        const parsed = organizationDocumentSchema.safeParse(r);
        if (parsed.success) found.set(parsed.data.id, toOrganization(parsed.data));
      }
      return found;
    } catch (e) {
      throw cosmosFailure(e, "read", "organizations");
    }
  }

  async upsert(organization: Organization): Promise<void> {
    try {
      await this.#container.items.upsert({
        id: organization.fiscalCode,
        companyName: organization.companyName,
        auxDigit: organization.auxDigit,
        ibans: [...organization.ibans],
        postalIbans: [...organization.postalIbans],
        ...(organization.brokerCode === undefined ? {} : { brokerCode: organization.brokerCode }),
        stationCodes: [...organization.stationCodes],
        ...(organization.cbill === undefined ? {} : { cbill: organization.cbill }),
        fdr3Enabled: organization.fdr3Enabled,
        updatedAt: organization.updatedAt,
      });
    } catch (e) {
      throw cosmosFailure(e, "save", "organization");
    }
  }

  async list(): Promise<Organization[]> {
    try {
      const { resources } = await this.#container.items.query<unknown>("SELECT * FROM c ORDER BY c.id").fetchAll();
      return resources.flatMap((r) => {
        const parsed = organizationDocumentSchema.safeParse(r);
        return parsed.success ? [toOrganization(parsed.data)] : [];
      });
    } catch (e) {
      throw cosmosFailure(e, "list", "organizations");
    }
  }
}
