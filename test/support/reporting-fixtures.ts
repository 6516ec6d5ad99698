// Shared by the FdR-3, statement and reconciliation tests: the app's real adapters on the emulators, paid positions,
// organizations with FdR-3 enabled, and camt.053 statements built from a few facts.
import { randomUUID } from "node:crypto";
import { BlobFlowStore } from "../../shared/adapters/blob/blob-flow-store";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { CosmosPositionLookup } from "../../shared/adapters/cosmos/cosmos-position-lookup";
import { CosmosReportingIndex } from "../../shared/adapters/cosmos/cosmos-reporting-index";
import type { DebtPosition, PaymentOption } from "../../shared/domain/debt-positions/model";
import { payPaymentOption } from "../../shared/domain/debt-positions/payments";
import { newOrganization } from "../../shared/domain/organizations/organization";
import type { Logger } from "../../shared/logging/logger";
import { blobContainers, containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "./builders";
import { aFreshIuv } from "./gpd-client";
import { organizationRepository } from "./keys";
import { blobService, cosmosClient, testConfig } from "./stack";

export const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const database = () => cosmosClient().database(testConfig().cosmos.database);
export const positionRepository = () =>
  new CosmosDebtPositionRepository(database().container(containers.debtpositions));
export const positionLookup = () => new CosmosPositionLookup(database().container(containers.debtpositions));
export const reportingIndex = () =>
  new CosmosReportingIndex(database().container(containers.reporting), database().container(containers.organizations));
export const flowStore = () => new BlobFlowStore(blobService().getContainerClient(blobContainers.flows));

export async function anFdr3Organization(fiscalCode: string): Promise<void> {
  await organizationRepository().upsert(
    newOrganization({ fiscalCode, companyName: "Comune FdR-3", fdr3Enabled: true, now: new Date() }),
  );
}

/** A VALID position of one option per amount (cents, one transfer each), each option paid. */
export async function aPaidPosition(org: string, amounts: number[] = [10_000]): Promise<DebtPosition> {
  const options: PaymentOption[] = amounts.map((amount) =>
    aPaymentOption({
      iuv: aFreshIuv(),
      organizationFiscalCode: org,
      isPartialPayment: amounts.length > 1,
      amount,
      transfer: [aTransfer({ idTransfer: "1", amount, organizationFiscalCode: org })],
    }),
  );
  const position = aDebtPosition({
    organizationFiscalCode: org,
    iupd: `IUPD-FDR3-${randomUUID()}`,
    status: "VALID",
    paymentOption: options,
  });
  const repo = positionRepository();
  await repo.create(position);
  for (const o of options) {
    const stored = await repo.get(org, position.iupd);
    if (!stored) throw new Error("position vanished");
    const paid = payPaymentOption(
      stored.value,
      { iuv: o.iuv },
      { paymentDate: "2026-03-10T09:15:30.000Z", pspCompany: "Banca di Prova", idReceipt: `R-${o.iuv}`, fee: 0 },
      new Date(),
    );
    if (paid.outcome !== "paid") throw new Error(`cannot pay ${o.iuv}`);
    await repo.replace(stored, paid.position);
  }
  return (await repo.get(org, position.iupd))?.value ?? position;
}

export async function readPosition(org: string, iupd: string): Promise<DebtPosition> {
  const stored = await positionRepository().get(org, iupd);
  if (!stored) throw new Error(`no position ${iupd}`);
  return stored.value;
}

export interface CreditSpec {
  amount: string;
  remittance?: string[];
  ref?: string;
  bookingDate?: string;
  direction?: "CRDT" | "DBIT";
  currency?: string;
  status?: string;
  /** Split transactions inside one entry: amount and remittance each. */
  transactions?: { amount: string; remittance: string }[];
}

/** A camt.053.001.08 statement with one entry per credit. */
export function aCamt053(credits: CreditSpec[], ids: { messageId?: string; statementId?: string } = {}): string {
  const entries = credits
    .map((c, i) => {
      const txs =
        c.transactions ??
        (c.remittance === undefined ? [] : [{ amount: undefined, remittance: c.remittance.join("") }]);
      const details = txs
        .map(
          (t) =>
            `<TxDtls>${t.amount === undefined ? "" : `<Amt Ccy="EUR">${t.amount}</Amt>`}<RmtInf><Ustrd>${t.remittance}</Ustrd></RmtInf></TxDtls>`,
        )
        .join("");
      return `<Ntry><NtryRef>${i + 1}</NtryRef><Amt Ccy="${c.currency ?? "EUR"}">${c.amount}</Amt><CdtDbtInd>${c.direction ?? "CRDT"}</CdtDbtInd><Sts><Cd>${c.status ?? "BOOK"}</Cd></Sts><BookgDt><Dt>${c.bookingDate ?? "2026-03-13"}</Dt></BookgDt><ValDt><Dt>${c.bookingDate ?? "2026-03-13"}</Dt></ValDt><AcctSvcrRef>${c.ref ?? `REF-${i + 1}`}</AcctSvcrRef><BkTxCd/>${details === "" ? "" : `<NtryDtls>${details}</NtryDtls>`}</Ntry>`;
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>${ids.messageId ?? "MSG-1"}</MsgId><CreDtTm>2026-03-14T06:00:00</CreDtTm></GrpHdr><Stmt><Id>${ids.statementId ?? "STMT-1"}</Id><Acct><Id><IBAN>IT60X0542811101000000123456</IBAN></Id></Acct>${entries}</Stmt></BkToCstmrStmt></Document>`;
}
