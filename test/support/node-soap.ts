// The payment node's side of paForNode in tests: a SOAP client that the `soap` package builds from the WSDL our host
// serves (GET /paForNode?wsdl, with its imported XSDs), and request arguments laid out in XSD order.
import { createClientAsync, type Client } from "soap";
import { centsToEuros } from "../../shared/domain/money";
import { baseUrl } from "./gpd-client";

export type NodeOperation = "paVerifyPaymentNotice" | "paGetPayment" | "paGetPaymentV2" | "paSendRT" | "paSendRTV2";

export interface NodeAnswer {
  /** The response element as the client parsed it. */
  result: Record<string, unknown>;
  /** The response XML as received. */
  xml: string;
}

export interface NodeClient {
  call(operation: NodeOperation, args: Record<string, unknown>): Promise<NodeAnswer>;
  readonly raw: Client;
}

/** A client generated from `<host>/paForNode?wsdl`, sending the key as API Management expects it. */
export async function aNodeClient(key: string | undefined, url = baseUrl()): Promise<NodeClient> {
  const client = await createClientAsync(`${url}/paForNode?wsdl`);
  if (key !== undefined) client.addHttpHeader("Ocp-Apim-Subscription-Key", key);
  const methods = client as unknown as Record<string, (args: unknown) => Promise<[unknown, string]>>;
  return {
    raw: client,
    async call(operation, args) {
      const method = methods[`${operation}Async`];
      if (method === undefined) throw new Error(`the generated client has no ${operation}`);
      const [result, xml] = await method.call(client, args);
      return { result: (result ?? {}) as Record<string, unknown>, xml };
    },
  };
}

export interface Station {
  organization: string;
  broker: string;
  station: string;
}

export const idsOf = (s: Station) => ({ idPA: s.organization, idBrokerPA: s.broker, idStation: s.station });

export const verifyArgs = (s: Station, noticeNumber: string, fiscalCode = s.organization) => ({
  ...idsOf(s),
  qrCode: { fiscalCode, noticeNumber },
});

export const getPaymentArgs = (
  s: Station,
  noticeNumber: string,
  extra: { amountCents?: number; transferType?: "POSTAL" | "PAGOPA" } = {},
) => ({
  ...idsOf(s),
  qrCode: { fiscalCode: s.organization, noticeNumber },
  ...(extra.amountCents !== undefined ? { amount: centsToEuros(extra.amountCents) } : {}),
  ...(extra.transferType !== undefined ? { transferType: extra.transferType } : {}),
});

export interface ReceiptTransferArgs {
  amountCents: number;
  fiscalCodePA?: string;
  iban?: string;
  /** Base64 of the stamp document: the transfer carries MBDAttachment (V2 only). */
  mbdAttachment?: string;
}

export interface ReceiptArgs {
  receiptId: string;
  noticeNumber: string;
  iuv: string;
  amountCents?: number;
  transfers: ReceiptTransferArgs[];
  paymentDateTime?: string;
}

/** paSendRTV2Request (or paSendRTReq with version 1) for a receipt of `s.organization`. */
export function sendRtArgs(s: Station, r: ReceiptArgs, version: 1 | 2 = 2): Record<string, unknown> {
  const amount = r.amountCents ?? r.transfers.reduce((sum, t) => sum + t.amountCents, 0);
  return {
    ...idsOf(s),
    receipt: {
      receiptId: r.receiptId,
      noticeNumber: r.noticeNumber,
      fiscalCode: s.organization,
      outcome: "OK",
      creditorReferenceId: r.iuv,
      paymentAmount: centsToEuros(amount),
      description: "TARI 2026",
      companyName: "Comune di Prova",
      debtor: {
        uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" },
        fullName: "Mario Rossi",
      },
      transferList: {
        transfer: r.transfers.map((t, i) => ({
          idTransfer: i + 1,
          transferAmount: centsToEuros(t.amountCents),
          fiscalCodePA: t.fiscalCodePA ?? s.organization,
          ...(t.mbdAttachment !== undefined && version === 2
            ? { MBDAttachment: t.mbdAttachment }
            : { IBAN: t.iban ?? "IT60X0542811101000000123456" }),
          remittanceInformation: `Transfer ${i + 1}`,
          transferCategory: "9/0101108TS/",
        })),
      },
      idPSP: "PSPTEST01",
      PSPCompanyName: "Banca di Test",
      idChannel: "PSPTEST01_01",
      channelDescription: "app",
      paymentMethod: "creditCard",
      fee: "1.00",
      paymentDateTime: r.paymentDateTime ?? "2026-11-30T09:15:30Z",
    },
  };
}
