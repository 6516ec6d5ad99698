// How a debt position is laid out in the `debtpositions` container (partition key /organizationFiscalCode):
//  - one position document, id "position:<iupd>", holding the whole aggregate plus the derived fields that queries
//    filter on (maxDueDate for the expiry job, segregationCodes for the list) and the IBANs an IBAN change may still
//    replace (changeableIbans, docs/adr/0025);
//  - one claim document per IUV ("iuv:<iuv>") and per NAV ("nav:<nav>"), written in the same transactional batch,
//    so uniqueness of IUPD, IUV and NAV per organization is enforced by Cosmos' unique ids (docs/adr/0006).
import { z } from "zod";
import {
  debtPositionStatuses,
  paymentOptionStatuses,
  transferIds,
  transferStatuses,
  type DebtPosition,
} from "../../domain/debt-positions/model";
import { changeableIbans } from "../../domain/debt-positions/iban-change";

export const positionId = (iupd: string) => `position:${iupd}`;
export const iuvClaimId = (iuv: string) => `iuv:${iuv}`;
export const navClaimId = (nav: string) => `nav:${nav}`;

const optional = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const metadata = z
  .array(z.object({ key: z.string(), value: optional }))
  .nullish()
  .transform((v) => v ?? []);

const transferSchema = z.object({
  idTransfer: z.enum(transferIds),
  amount: z.number().int(),
  organizationFiscalCode: z.string(),
  companyName: optional,
  remittanceInformation: z.string(),
  category: z.string(),
  iban: optional,
  postalIban: optional,
  stamp: z
    .object({ hashDocument: z.string(), stampType: z.string(), provincialResidence: z.string() })
    .nullish()
    .transform((v) => v ?? undefined),
  transferMetadata: metadata,
  idFlowReporting: optional,
  status: z.enum(transferStatuses),
  insertedDate: z.string(),
  lastUpdatedDate: z.string(),
});

const paymentOptionSchema = z.object({
  nav: z.string(),
  iuv: z.string(),
  organizationFiscalCode: z.string(),
  amount: z.number().int(),
  description: optional,
  isPartialPayment: z.boolean(),
  dueDate: z.string(),
  retentionDate: optional,
  validityDate: optional,
  switchToExpired: z.boolean(),
  fee: z.number().int(),
  notificationFee: z.number().int(),
  paymentDate: optional,
  reportingDate: optional,
  paymentMethod: optional,
  pspCode: optional,
  pspTaxCode: optional,
  pspCompany: optional,
  idReceipt: optional,
  idFlowReporting: optional,
  reconciledDate: optional,
  reconciliationRef: optional,
  status: z.enum(paymentOptionStatuses),
  insertedDate: z.string(),
  lastUpdatedDate: z.string(),
  paymentOptionMetadata: metadata,
  transfer: z.array(transferSchema),
});

export const positionDocumentSchema = z.object({
  id: z.string(),
  kind: z.literal("position"),
  organizationFiscalCode: z.string(),
  iupd: z.string(),
  type: z.enum(["F", "G"]),
  payStandIn: z.boolean(),
  fiscalCode: z.string(),
  fullName: z.string(),
  streetName: optional,
  civicNumber: optional,
  postalCode: optional,
  city: optional,
  province: optional,
  region: optional,
  country: optional,
  email: optional,
  phone: optional,
  switchToExpired: z.boolean(),
  companyName: z.string(),
  officeName: optional,
  validityDate: optional,
  publishDate: optional,
  paymentDate: optional,
  reconciledDate: optional,
  insertedDate: z.string(),
  lastUpdatedDate: z.string(),
  status: z.enum(debtPositionStatuses),
  paymentOption: z.array(paymentOptionSchema),
  creationFingerprint: optional,
  pendingBulk: optional,
  /** Stamped by the event outbox (event-document.ts). */
  revision: z.number().optional(),
  _etag: z.string(),
});

export type DocumentRead =
  { ok: true; position: DebtPosition; etag: string; revision?: number } | { ok: false; id: string; reason: string };

/**
 * One stored position document, parsed. A document that no longer parses (written before a rule existed, or edited by
 * hand) is reported with its id and the first problems found, never thrown (docs/adr/0065).
 */
export function readDocument(resource: unknown): DocumentRead {
  const parsed = positionDocumentSchema.safeParse(resource);
  if (parsed.success) {
    const { id: _id, kind: _kind, _etag, revision, ...position } = parsed.data;
    return { ok: true, position, etag: _etag, ...(revision === undefined ? {} : { revision }) };
  }
  const id = typeof resource === "object" && resource !== null ? (resource as { id?: unknown }).id : undefined;
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".")}: ${i.message}`)
    .join("; ");
  return { ok: false, id: typeof id === "string" ? id : "(no id)", reason };
}

/** Reads each document of a query page on its own: one that no longer parses is reported, not thrown. */
export function readDocuments(resources: readonly unknown[]): {
  read: { position: DebtPosition; etag: string; revision?: number }[];
  unreadable: { id: string; reason: string }[];
} {
  const read: { position: DebtPosition; etag: string; revision?: number }[] = [];
  const unreadable: { id: string; reason: string }[] = [];
  for (const resource of resources) {
    const one = readDocument(resource);
    if (one.ok) {
      const { ok: _ok, ...versioned } = one;
      read.push(versioned);
    } else {
      unreadable.push({ id: one.id, reason: one.reason });
    }
  }
  return { read, unreadable };
}

export function fromDocument(resource: unknown): { position: DebtPosition; etag: string; revision?: number } {
  const parsed = positionDocumentSchema.parse(resource);
  const { id: _id, kind: _kind, _etag, revision, ...position } = parsed;
  return { position, etag: _etag, ...(revision === undefined ? {} : { revision }) };
}

const maxOf = (values: string[]) =>
  values.reduce<string | undefined>((m, v) => (m === undefined || v > m ? v : m), undefined);

/** The stored document: the aggregate plus the derived fields queries filter and sort on. */
export function toDocument(position: DebtPosition): Record<string, unknown> & { id: string } {
  const dueDates = position.paymentOption.map((o) => o.dueDate);
  return {
    ...stripUndefined(position),
    id: positionId(position.iupd),
    kind: "position",
    maxDueDate: maxOf(dueDates) ?? null,
    segregationCodes: [...new Set(position.paymentOption.map((o) => o.iuv.slice(0, 2)))],
    changeableIbans: changeableIbans(position),
  };
}

/**
 * A claim: the document whose id ("iuv:<iuv>" or "nav:<nav>") reserves an IUV or a NAV for one position of the
 * organization, and names that position.
 */
const claimDocumentSchema = z.object({
  id: z.string(),
  kind: z.enum(["iuv", "nav"]),
  organizationFiscalCode: z.string(),
  iupd: z.string(),
});
export type ClaimDocument = z.infer<typeof claimDocumentSchema>;

/** A claim as read back from the store; undefined for a document that is not one (it then claims nothing). */
export const readClaim = (resource: unknown): ClaimDocument | undefined => {
  const parsed = claimDocumentSchema.safeParse(resource);
  return parsed.success ? parsed.data : undefined;
};

export function claimDocuments(position: DebtPosition): ClaimDocument[] {
  return position.paymentOption.flatMap((o): ClaimDocument[] => [
    {
      id: iuvClaimId(o.iuv),
      kind: "iuv",
      organizationFiscalCode: position.organizationFiscalCode,
      iupd: position.iupd,
    },
    {
      id: navClaimId(o.nav),
      kind: "nav",
      organizationFiscalCode: position.organizationFiscalCode,
      iupd: position.iupd,
    },
  ]);
}

/** JSON drops undefined anyway; removing it keeps documents and tests free of `"x": undefined` noise. */
function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
