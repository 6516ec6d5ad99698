// The refusals of a position whose identifiers are taken: its IUPD, or the IUV or notice number (NAV) of one of its
// options, already used by another position of the organization (docs/adr/0006: one claim document per identifier).
// The title stays the contract's; the detail says which identifier collided, since the fix differs (another IUPD, or
// another IUV). `iupd` is the position being written, so a bulk can name its place in the request.
import { DomainError } from "../errors";

export class UniquenessViolation extends DomainError {
  constructor(
    readonly iupd: string,
    detail: string,
  ) {
    super("DEBT_POSITION_UNIQUE_VIOLATION", detail);
  }
}

export const duplicateIupd = (organizationFiscalCode: string, iupd: string): UniquenessViolation =>
  new UniquenessViolation(
    iupd,
    `A debt position with IUPD ${iupd} already exists for the Organization Fiscal Code ${organizationFiscalCode}`,
  );

export const duplicateIuv = (organizationFiscalCode: string, iupd: string, iuv: string): UniquenessViolation =>
  new UniquenessViolation(
    iupd,
    `The IUV ${iuv} is already used by another debt position of the Organization Fiscal Code ${organizationFiscalCode}`,
  );

export const duplicateNav = (organizationFiscalCode: string, iupd: string, nav: string): UniquenessViolation =>
  new UniquenessViolation(
    iupd,
    `The notice number (NAV) ${nav} is already used by another debt position of the Organization Fiscal Code ${organizationFiscalCode}`,
  );
