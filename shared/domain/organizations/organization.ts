// The organizations registry (SPEC §2.4): an EC must be registered before positions are created for it; the
// IBANs registered here are the ones the seed's rule "IBANs must be registered on pagoPA" checks transfers against.
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
  updatedAt: string;
}

export interface OrganizationRepository {
  find(fiscalCode: string): Promise<Organization | undefined>;
  /** One read for several organizations (multi-beneficiary transfers). */
  findMany(fiscalCodes: readonly string[]): Promise<Map<string, Organization>>;
  upsert(organization: Organization): Promise<void>;
}

export function newOrganization(
  input: {
    fiscalCode: string;
    companyName: string;
    auxDigit?: string | undefined;
    ibans?: readonly string[] | undefined;
    postalIbans?: readonly string[] | undefined;
    now: Date;
  },
): Organization {
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
  if (problems.length > 0) throw new DomainError("BAD_REQUEST", problems.join("; "));
  return {
    fiscalCode: input.fiscalCode,
    companyName,
    auxDigit: auxDigit as AuxDigit,
    ibans,
    postalIbans,
    updatedAt: input.now.toISOString(),
  };
}
