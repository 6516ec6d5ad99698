// Replacing an IBAN on the organization's debt positions (PATCH …/debtpositions/transfers, docs/adr/0025): which
// transfers may change, and how one position changes, as pure functions. Finding the positions that hold the IBAN
// is the repository's job (an indexed field kept on the position document).
import { DomainError } from "../errors";
import { isValidIban, maskIban, normaliseIban } from "./iban";
import { toIso, type DebtPosition, type DebtPositionStatus, type PaymentOption, type Transfer } from "./model";

/** Only positions that can still be paid as they are (docs/adr/0025). */
export const ibanChangeableStatuses: readonly DebtPositionStatus[] = ["DRAFT", "PUBLISHED", "VALID", "PARTIALLY_PAID"];

/** The most transfers one call changes, and the default (debt-position-openapi_external_v1.json: limit ≤ 1000, default 1000). */
export const IBAN_CHANGE_MAX_LIMIT = 1000;

/**
 * Whether a transfer's IBAN may be replaced by its organization: the transfer credits the organization itself
 * (another beneficiary's account is that beneficiary's business) and its option is still unpaid, so no receipt or
 * reporting flow already names the old account.
 */
const isChangeable = (option: PaymentOption, transfer: Transfer, organizationFiscalCode: string): boolean =>
  option.status === "PO_UNPAID" &&
  transfer.status === "T_UNREPORTED" &&
  transfer.organizationFiscalCode === organizationFiscalCode &&
  transfer.iban !== undefined;

/**
 * The IBANs (normalised) a later change could still replace on this position: what the repository indexes so that
 * the positions holding an IBAN are found without reading the others. Empty once nothing is changeable.
 */
export const changeableIbans = (position: DebtPosition): string[] => {
  if (!ibanChangeableStatuses.includes(position.status)) return [];
  const ibans = new Set<string>();
  for (const option of position.paymentOption) {
    for (const transfer of option.transfer) {
      if (isChangeable(option, transfer, position.organizationFiscalCode) && transfer.iban !== undefined) {
        ibans.add(normaliseIban(transfer.iban));
      }
    }
  }
  return [...ibans].sort();
};

export interface IbanChange {
  /** Normalised. */
  oldIban: string;
  /** Normalised, valid and registered for the organization. */
  newIban: string;
}

/**
 * The request checked against the organization's registry: the new IBAN must be a valid IBAN (ISO 13616) registered
 * for the organization (as a transfer's IBAN must be on create), and differ from the old one.
 */
export function checkIbanChange(
  request: { oldIban: string; newIban: string },
  registered: { ibans: readonly string[]; postalIbans: readonly string[] } | undefined,
): IbanChange {
  const oldIban = normaliseIban(request.oldIban);
  const newIban = normaliseIban(request.newIban);
  if (!isValidIban(newIban)) {
    throw new DomainError("BAD_REQUEST", `newIban: not a valid IBAN (ISO 13616) [iban=${maskIban(newIban)}]`);
  }
  const accounts = new Set([...(registered?.ibans ?? []), ...(registered?.postalIbans ?? [])].map(normaliseIban));
  if (!accounts.has(newIban)) {
    throw new DomainError(
      "BAD_REQUEST",
      `newIban: the IBAN is not registered on pagoPA for the organization [iban=${maskIban(newIban)}]`,
    );
  }
  if (oldIban === newIban) throw new DomainError("BAD_REQUEST", "newIban: must differ from oldIban");
  return { oldIban, newIban };
}

export interface PositionIbanChange {
  /** The position to write; undefined when nothing on it changes. */
  next: DebtPosition | undefined;
  updatedTransfers: number;
}

/**
 * Replaces the old IBAN on at most `limit` changeable transfers of the position, in option then transfer order; the
 * rest stays as it is, still indexed under the old IBAN, so the next call finds it again (resumable).
 */
export function changeIbanOnPosition(
  position: DebtPosition,
  change: IbanChange,
  limit: number,
  now: Date,
): PositionIbanChange {
  if (!ibanChangeableStatuses.includes(position.status) || limit <= 0) return { next: undefined, updatedTransfers: 0 };
  const at = toIso(now);
  let updated = 0;
  const paymentOption = position.paymentOption.map((option) => {
    const before = updated;
    const transfer = option.transfer.map((t) => {
      if (
        updated >= limit ||
        !isChangeable(option, t, position.organizationFiscalCode) ||
        normaliseIban(t.iban ?? "") !== change.oldIban
      ) {
        return t;
      }
      updated += 1;
      return { ...t, iban: change.newIban, lastUpdatedDate: at };
    });
    return updated > before ? { ...option, transfer, lastUpdatedDate: at } : option;
  });
  if (updated === 0) return { next: undefined, updatedTransfers: 0 };
  return { next: { ...position, paymentOption, lastUpdatedDate: at }, updatedTransfers: updated };
}
