// The organizations registry (docs/domain/api-surface.md#organizations): an EC must be registered before positions are created for it; the
// IBANs registered here are the ones transfers are checked against: an IBAN must be registered on pagoPA (docs/domain/debt-positions.md#validation).
import { isValidIban, normaliseIban } from "../debt-positions/iban";
import { DomainError } from "../errors";

export const auxDigits = ["0", "1", "2", "3"] as const;
export type AuxDigit = (typeof auxDigits)[number];

export interface Organization {
  fiscalCode: string;
  companyName: string;
  /** First digit of the notice number (NAV = aux digit + IUV when the EC does not send a NAV); default 3. */
  auxDigit: AuxDigit;
  ibans: readonly string[];
  postalIbans: readonly string[];
  /** The organization's pagoPA broker (intermediario) fiscal code: 11 digits; the node sends it as idBrokerPA. */
  brokerCode?: string | undefined;
  /** The pagoPA stations through which the node reaches this organization (idStation), e.g. 77777777777_01. */
  stationCodes: readonly string[];
  /** CBILL code printed on payment notices (5 alphanumeric characters). */
  cbill?: string | undefined;
  /** Whether the FdR-3 ingestion reads this organization's reporting flows. */
  fdr3Enabled: boolean;
  updatedAt: string;
}

export interface OrganizationRepository {
  find(fiscalCode: string): Promise<Organization | undefined>;
  /** One read for several organizations (multi-beneficiary transfers). */
  findMany(fiscalCodes: readonly string[]): Promise<Map<string, Organization>>;
  upsert(organization: Organization): Promise<void>;
  /** Every registered organization (a few thousand at most: the operator CLI and the per-organization jobs). */
  list(): Promise<Organization[]>;
}

export function newOrganization(input: {
  fiscalCode: string;
  companyName: string;
  auxDigit?: string | undefined;
  ibans?: readonly string[] | undefined;
  postalIbans?: readonly string[] | undefined;
  brokerCode?: string | undefined;
  stationCodes?: readonly string[] | undefined;
  cbill?: string | undefined;
  fdr3Enabled?: boolean | undefined;
  now: Date;
}): Organization {
  const problems: string[] = [];
  if (!/^\d{11}$/.test(input.fiscalCode)) problems.push(`fiscal code must be 11 digits: ${input.fiscalCode}`);
  const companyName = input.companyName.trim();
  if (companyName.length === 0 || companyName.length > 140) problems.push("company name must be 1-140 characters");
  const auxDigit = input.auxDigit ?? "3";
  if (!(auxDigits as readonly string[]).includes(auxDigit)) problems.push(`aux digit must be 0-3: ${auxDigit}`);
  const ibans = [...new Set((input.ibans ?? []).map(normaliseIban))];
  const postalIbans = [...new Set((input.postalIbans ?? []).map(normaliseIban))];
  for (const iban of [...ibans, ...postalIbans]) {
    if (!isValidIban(iban)) problems.push(`invalid IBAN (ISO 13616 check failed): ${iban}`);
  }
  if (input.brokerCode !== undefined && !/^\d{11}$/.test(input.brokerCode)) {
    problems.push(`broker code must be 11 digits: ${input.brokerCode}`);
  }
  const stationCodes = [...new Set(input.stationCodes ?? [])];
  for (const station of stationCodes) {
    if (!/^\d{11}_\d{2}$/.test(station)) problems.push(`station code must be <11 digits>_<2 digits>: ${station}`);
  }
  if (input.cbill !== undefined && !/^[A-Z0-9]{5}$/.test(input.cbill)) {
    problems.push(`CBILL code must be 5 capital letters or digits: ${input.cbill}`);
  }
  if (problems.length > 0) throw new DomainError("BAD_REQUEST", problems.join("; "));
  return {
    fiscalCode: input.fiscalCode,
    companyName,
    auxDigit: auxDigit as AuxDigit,
    ibans,
    postalIbans,
    brokerCode: input.brokerCode,
    stationCodes,
    cbill: input.cbill,
    fdr3Enabled: input.fdr3Enabled ?? false,
    updatedAt: input.now.toISOString(),
  };
}
