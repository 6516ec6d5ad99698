// The payment node's walk-through over HTTP against the local host, with a SOAP client that the `soap` package
// generates from the WSDL our host serves: verify → getPaymentV2 → sendRTV2 for single payments, installments,
// multi-beneficiary transfers, stamps and postal IBANs; every fault; concurrent receipts; the receipts API afterwards.
import { newOrganization } from "../../shared/domain/organizations/organization";
import { blobContainers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, organizationRepository } from "../support/keys";
import { aFreshIuv, baseUrl, callApi, inDays, registeredIban } from "../support/gpd-client";
import {
  aNodeClient,
  getPaymentArgs,
  sendRtArgs,
  verifyArgs,
  type NodeAnswer,
  type NodeClient,
  type ReceiptArgs,
  type Station,
} from "../support/node-soap";
import { xsdErrorsOf } from "../support/pa-for-node-xsd";
import { blobService } from "../support/stack";

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

// Each test makes many SOAP calls and validates every answer with libxml2: generous under a loaded machine.
jest.setTimeout(120_000);

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

  /** An OK answer whose Body element libxml2 finds valid against paForNode.xsd. */
  async function expectOk(answer: NodeAnswer): Promise<Record<string, unknown>> {
    expect(answer.result).toMatchObject({ outcome: "OK" });
    expect(answer.result.fault).toBeUndefined();
    expect(await xsdErrorsOf(answer.xml)).toEqual([]);
    return answer.result;
  }

  /** A KO answer with this fault code, the organization as its id, and a schema-valid response. */
  async function expectFault(answer: NodeAnswer, faultCode: string, id = org): Promise<void> {
    expect(answer.result).toMatchObject({ outcome: "KO", fault: { faultCode, id } });
    expect(await xsdErrorsOf(answer.xml)).toEqual([]);
  }

  const receipt = (iuv: string, nav: string, amountCents: number, more: Partial<ReceiptArgs> = {}): ReceiptArgs => ({
    receiptId: `R-${iuv}`,
    noticeNumber: nav,
    iuv,
    transfers: [{ amountCents }],
    ...more,
  });

  const listedReceipts = async () =>
    (
      (await callApi("GET", `/payments/${org}/receipts?limit=999`, { key: ecKey })).body as {
        receipts_list: { iuv: string }[];
      }
    ).receipts_list.map((r) => r.iuv);

  describe("payments", () => {
    it("single payment: verify → getPaymentV2 → sendRTV2; the position reads PAID, the receipt is listed and served", async () => {
      const { iupd, options } = await aPosition([{ transfers: [{ amount: 12_345 }] }]);
      const { nav, iuv } = options[0]!;

      const verified = await expectOk(await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)));
      expect(verified).toMatchObject({
        paymentList: {
          paymentOptionDescription: {
            amount: "123.45",
            options: "EQ",
            dueDate: inDays(30).slice(0, 10),
            detailDescription: "TARI 2026",
            allCCP: false,
          },
        },
        paymentDescription: "TARI 2026",
        fiscalCodePA: org,
        companyName: "Comune di Prova",
        officeName: "Ufficio Tributi",
      });

      const got = await expectOk(
        await node.call("paGetPaymentV2", getPaymentArgs(station, nav, { amountCents: 12_345 })),
      );
      expect(got.data).toMatchObject({
        creditorReferenceId: iuv,
        paymentAmount: "123.45",
        lastPayment: false,
        description: "TARI 2026",
        companyName: "Comune di Prova",
        debtor: {
          uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" },
          fullName: "Mario Rossi",
          city: "Roma",
          stateProvinceRegion: "RM",
          country: "IT",
          "e-mail": "mario.rossi@example.it",
        },
        transferList: {
          transfer: [
            {
              idTransfer: "1",
              transferAmount: "123.45",
              fiscalCodePA: org,
              companyName: "Comune di Prova",
              IBAN: registeredIban,
              transferCategory: "9/0101108TS/",
            },
          ],
        },
        metadata: { mapEntry: [{ key: "NOTIFICATION_FEE", value: "0" }] },
      });

      const args = sendRtArgs(station, receipt(iuv, nav, 12_345));
      await expectOk(await node.call("paSendRTV2", args));
      expect(await position(iupd)).toMatchObject({
        status: "PAID",
        paymentOption: [{ status: "PO_PAID", idReceipt: `R-${iuv}` }],
      });
      expect(await listedReceipts()).toContain(iuv);
      const detail = await callApi("GET", `/payments/${org}/receipts/${iuv}`, { key: ecKey });
      expect(detail.status).toBe(200);
      expect(detail.text).toContain(`<receiptId>R-${iuv}</receiptId>`);

      // The same receipt again is OK and changes nothing; the option now answers PAA_PAGAMENTO_DUPLICATO.
      await expectOk(await node.call("paSendRTV2", args));
      await expectFault(await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)), "PAA_PAGAMENTO_DUPLICATO");
      await expectFault(await node.call("paGetPaymentV2", getPaymentArgs(station, nav)), "PAA_PAGAMENTO_DUPLICATO");
    });

    it("paGetPayment and paSendRT (version 1) answer and pay as well", async () => {
      const { iupd, options } = await aPosition([{ transfers: [{ amount: 5_000 }] }]);
      const { nav, iuv } = options[0]!;
      const got = await expectOk(await node.call("paGetPayment", getPaymentArgs(station, nav)));
      expect(got.data).toMatchObject({
        creditorReferenceId: iuv,
        paymentAmount: "50.00",
        transferList: { transfer: [{ idTransfer: "1", IBAN: registeredIban }] },
      });
      expect(JSON.stringify(got.data)).not.toContain('"companyName":"Comune di Prova","IBAN"');
      await expectOk(await node.call("paSendRT", sendRtArgs(station, receipt(iuv, nav, 5_000), 1)));
      expect(await position(iupd)).toMatchObject({ status: "PAID" });
    });

    it("installments: the first makes the position PARTIALLY_PAID and hides the single option; the last makes it PAID", async () => {
      const { iupd, options } = await aPosition([
        { isPartialPayment: true, transfers: [{ amount: 6_000 }] },
        { isPartialPayment: true, transfers: [{ amount: 4_000 }] },
        { transfers: [{ amount: 9_500 }] },
      ]);
      const [first, second, single] = options as [(typeof options)[0], (typeof options)[0], (typeof options)[0]];
      for (const o of options) await expectOk(await node.call("paVerifyPaymentNotice", verifyArgs(station, o.nav)));

      await expectOk(await node.call("paSendRTV2", sendRtArgs(station, receipt(first.iuv, first.nav, 6_000))));
      expect(await position(iupd)).toMatchObject({ status: "PARTIALLY_PAID" });
      await expectFault(
        await node.call("paVerifyPaymentNotice", verifyArgs(station, single.nav)),
        "PAA_PAGAMENTO_SCONOSCIUTO",
      );
      const got = await expectOk(await node.call("paGetPaymentV2", getPaymentArgs(station, second.nav)));
      expect(got.data).toMatchObject({ paymentAmount: "40.00" });
      await expectOk(await node.call("paSendRTV2", sendRtArgs(station, receipt(second.iuv, second.nav, 4_000))));
      expect(await position(iupd)).toMatchObject({ status: "PAID" });
    });

    it("multi-beneficiary: each transfer names its beneficiary, its company name and its IBAN", async () => {
      const { options } = await aPosition([
        { transfers: [{ amount: 7_000 }, { amount: 3_000, organizationFiscalCode: other, iban: otherIban }] },
      ]);
      const { nav, iuv } = options[0]!;
      const verified = await expectOk(await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)));
      expect(verified).toMatchObject({ paymentList: { paymentOptionDescription: { amount: "100.00" } } });
      const got = await expectOk(await node.call("paGetPaymentV2", getPaymentArgs(station, nav)));
      expect(got.data).toMatchObject({
        transferList: {
          transfer: [
            { idTransfer: "1", transferAmount: "70.00", fiscalCodePA: org, companyName: "Comune di Prova" },
            {
              idTransfer: "2",
              transferAmount: "30.00",
              fiscalCodePA: other,
              companyName: "Provincia di Altrove",
              IBAN: otherIban,
            },
          ],
        },
      });
      const args = sendRtArgs(
        station,
        receipt(iuv, nav, 10_000, {
          transfers: [{ amountCents: 7_000 }, { amountCents: 3_000, fiscalCodePA: other, iban: otherIban }],
        }),
      );
      await expectOk(await node.call("paSendRTV2", args));
    });

    it("stamps: paGetPaymentV2 asks for the marca da bollo, paGetPayment cannot (PAA_SEMANTICA), sendRTV2 pays it", async () => {
      const hashDocument = "5Z5+ZyBhOXmf4oi1YfQvFf9QwVoFx4mAszbm9+ZpW6M=";
      const { iupd, options } = await aPosition([
        {
          transfers: [
            { amount: 10_000 },
            { amount: 1_600, stamp: { hashDocument, stampType: "01", provincialResidence: "RM" } },
          ],
        },
      ]);
      const { nav, iuv } = options[0]!;
      const got = await expectOk(await node.call("paGetPaymentV2", getPaymentArgs(station, nav)));
      expect(got.data).toMatchObject({
        paymentAmount: "116.00",
        transferList: {
          transfer: [
            { idTransfer: "1", IBAN: registeredIban },
            {
              idTransfer: "2",
              transferAmount: "16.00",
              richiestaMarcaDaBollo: { hashDocumento: hashDocument, tipoBollo: "01", provinciaResidenza: "RM" },
            },
          ],
        },
      });
      await expectFault(await node.call("paGetPayment", getPaymentArgs(station, nav)), "PAA_SEMANTICA");
      const args = sendRtArgs(
        station,
        receipt(iuv, nav, 11_600, {
          transfers: [{ amountCents: 10_000 }, { amountCents: 1_600, mbdAttachment: "UEsDBBQAAAAIAA==" }],
        }),
      );
      await expectOk(await node.call("paSendRTV2", args));
      expect(await position(iupd)).toMatchObject({ status: "PAID" });
    });

    it("postal IBANs: allCCP, POSTAL answers the postal IBAN, PAGOPA the IBAN with the postal one as IBANAPPOGGIO", async () => {
      const { options } = await aPosition([
        { transfers: [{ amount: 2_000, postalIban, transferMetadata: [{ key: "capitolo", value: "42" }] }] },
      ]);
      const { nav } = options[0]!;
      const verified = await expectOk(await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)));
      expect(verified).toMatchObject({ paymentList: { paymentOptionDescription: { allCCP: true } } });
      const postal = await expectOk(
        await node.call("paGetPaymentV2", getPaymentArgs(station, nav, { transferType: "POSTAL" })),
      );
      expect(postal.data).toMatchObject({ transferList: { transfer: [{ IBAN: postalIban }] } });
      const postalV1 = await expectOk(
        await node.call("paGetPayment", getPaymentArgs(station, nav, { transferType: "POSTAL" })),
      );
      expect(postalV1.data).toMatchObject({ transferList: { transfer: [{ IBAN: postalIban }] } });
      const pagopa = await expectOk(
        await node.call("paGetPaymentV2", getPaymentArgs(station, nav, { transferType: "PAGOPA" })),
      );
      expect(pagopa.data).toMatchObject({
        transferList: {
          transfer: [
            {
              IBAN: registeredIban,
              metadata: {
                mapEntry: [
                  { key: "capitolo", value: "42" },
                  { key: "IBANAPPOGGIO", value: postalIban },
                ],
              },
            },
          ],
        },
      });
    });

    it("the notification fee is in the amount and in the metadata", async () => {
      const { options } = await aPosition([{ transfers: [{ amount: 10_000 }] }]);
      const { nav, iuv } = options[0]!;
      const feeKey = (await aKey({ organizations: [org], products: ["notification-fee"] })).key;
      const put = await callApi("PUT", `/organizations/${org}/paymentoptions/${nav}/notificationfee`, {
        key: feeKey,
        body: { notificationFee: 250 },
      });
      expect(put.status).toBe(200);
      const verified = await expectOk(await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)));
      expect(verified).toMatchObject({ paymentList: { paymentOptionDescription: { amount: "102.50" } } });
      const got = await expectOk(await node.call("paGetPaymentV2", getPaymentArgs(station, nav)));
      expect(got.data).toMatchObject({
        paymentAmount: "102.50",
        transferList: { transfer: [{ transferAmount: "102.50" }] },
        metadata: { mapEntry: [{ key: "NOTIFICATION_FEE", value: "250" }] },
      });
      await expectOk(await node.call("paSendRTV2", sendRtArgs(station, receipt(iuv, nav, 10_250))));
    });
  });

  describe("faults of verify and getPayment", () => {
    it("checks idPA, idBrokerPA and idStation before anything else", async () => {
      const { options } = await aPosition([{}]);
      const { nav } = options[0]!;
      const unknown = aFreshFiscalCode();
      for (const operation of ["paVerifyPaymentNotice", "paGetPaymentV2"] as const) {
        await expectFault(
          await node.call(operation, verifyArgs({ ...station, organization: unknown }, nav)),
          "PAA_ID_DOMINIO_ERRATO",
          unknown,
        );
        await expectFault(
          await node.call(operation, verifyArgs({ ...station, broker: aFreshFiscalCode() }, nav)),
          "PAA_ID_INTERMEDIARIO_ERRATO",
        );
        await expectFault(
          await node.call(operation, verifyArgs({ ...station, station: `${broker}_09` }, nav)),
          "PAA_STAZIONE_INT_ERRATA",
        );
        await expectFault(await node.call(operation, verifyArgs(station, nav, other)), "PAA_ID_DOMINIO_ERRATO");
      }
      // The second station of the organization is as good as the first.
      await expectOk(
        await node.call("paVerifyPaymentNotice", verifyArgs({ ...station, station: `${broker}_02` }, nav)),
      );
    });

    it("unknown NAV, DRAFT and not yet valid → PAA_PAGAMENTO_SCONOSCIUTO", async () => {
      const draft = await aPosition([{}], false);
      const future = await aPosition([{}], true, { validityDate: inDays(2) });
      for (const nav of [`3${aFreshIuv()}`, draft.options[0]!.nav, future.options[0]!.nav]) {
        await expectFault(
          await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)),
          "PAA_PAGAMENTO_SCONOSCIUTO",
        );
        await expectFault(await node.call("paGetPaymentV2", getPaymentArgs(station, nav)), "PAA_PAGAMENTO_SCONOSCIUTO");
      }
    });

    it("INVALID → PAA_PAGAMENTO_ANNULLATO; EXPIRED → PAA_PAGAMENTO_SCADUTO", async () => {
      const cancelled = await aPosition([{}]);
      const invalidated = await callApi("POST", `/organizations/${org}/debtpositions/${cancelled.iupd}/invalidate`, {
        key: ecKey,
      });
      expect(invalidated.status).toBe(200);
      await expectFault(
        await node.call("paVerifyPaymentNotice", verifyArgs(station, cancelled.options[0]!.nav)),
        "PAA_PAGAMENTO_ANNULLATO",
      );
      await expectFault(
        await node.call("paGetPayment", getPaymentArgs(station, cancelled.options[0]!.nav)),
        "PAA_PAGAMENTO_ANNULLATO",
      );

      iupdSerial += 1;
      const body = aBody(`NODE-EXP-${Date.now()}-${iupdSerial}`, [{}], { switchToExpired: true });
      const dueSoon = new Date(Date.now() + 6_000).toISOString();
      (body.paymentOption[0] as { dueDate: string }).dueDate = dueSoon;
      const created = await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, { key: ecKey, body });
      expect(created.status).toBe(201);
      const nav = (created.body as { paymentOption: { nav: string }[] }).paymentOption[0]!.nav;
      await new Promise((resolve) => setTimeout(resolve, Date.parse(dueSoon) - Date.now() + 100));
      await expectFault(await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)), "PAA_PAGAMENTO_SCADUTO");
      await expectFault(await node.call("paGetPaymentV2", getPaymentArgs(station, nav)), "PAA_PAGAMENTO_SCADUTO");
    });

    it("a request that breaks the XSD → its operation's response with PAA_SINTASSI_XSD", async () => {
      const { options } = await aPosition([{}]);
      const nav = options[0]!.nav;
      await expectFault(
        await node.call("paVerifyPaymentNotice", verifyArgs(station, nav.slice(1))),
        "PAA_SINTASSI_XSD",
      );
      await expectFault(
        await node.call("paGetPaymentV2", { ...getPaymentArgs(station, nav), transferType: "CASH" }),
        "PAA_SINTASSI_XSD",
      );
      const { idStation: _dropped, ...withoutStation } = verifyArgs(station, nav);
      await expectFault(await node.call("paVerifyPaymentNotice", withoutStation), "PAA_SINTASSI_XSD");
      await expectFault(
        await node.call("paSendRTV2", sendRtArgs(station, receipt(options[0]!.iuv, nav.slice(1), 10_000))),
        "PAA_SINTASSI_XSD",
      );
      await expectFault(
        await node.call("paSendRTV2", {
          ...sendRtArgs(station, receipt(options[0]!.iuv, nav, 10_000)),
          idPA: "X".repeat(36),
        }),
        "PAA_SINTASSI_XSD",
        "X".repeat(35),
      );
    });
  });

  describe("faults of sendRT", () => {
    it("unknown NAV → SCONOSCIUTO, wrong amount → SEMANTICA, another receipt for a paid option → RECEIPT_DUPLICATA", async () => {
      const { iupd, options } = await aPosition([{ transfers: [{ amount: 10_000 }] }]);
      const { nav, iuv } = options[0]!;
      const stranger = aFreshIuv();
      await expectFault(
        await node.call("paSendRTV2", sendRtArgs(station, receipt(stranger, `3${stranger}`, 10_000))),
        "PAA_PAGAMENTO_SCONOSCIUTO",
      );
      await expectFault(await node.call("paSendRTV2", sendRtArgs(station, receipt(iuv, nav, 9_999))), "PAA_SEMANTICA");
      expect(await position(iupd)).toMatchObject({ status: "VALID", paymentOption: [{ status: "PO_UNPAID" }] });
      await expectOk(await node.call("paSendRTV2", sendRtArgs(station, receipt(iuv, nav, 10_000))));
      await expectFault(
        await node.call("paSendRTV2", sendRtArgs(station, receipt(iuv, nav, 10_000, { receiptId: `OTHER-${iuv}` }))),
        "PAA_RECEIPT_DUPLICATA",
      );
      expect(await position(iupd)).toMatchObject({ paymentOption: [{ idReceipt: `R-${iuv}` }] });
      // Refused receipts are kept for operators in receipts-rejected, under the name they were parked with.
      const rejected = blobService().getContainerClient(blobContainers["receipts-rejected"]);
      const properties = await rejected.getBlobClient(`node/${org}/OTHER-${iuv}.xml`).getProperties();
      expect(properties.metadata?.reason).toMatch(/^PAYMENT_OPTION_ALREADY_PAID/);
    });

    it("concurrent receipts for one option: one wins, the same receipt is OK, the others are RECEIPT_DUPLICATA", async () => {
      const { iupd, options } = await aPosition([{ transfers: [{ amount: 10_000 }] }]);
      const { nav, iuv } = options[0]!;
      const ids = ["R-A", "R-A", "R-A", "R-B", "R-C", "R-D"].map((id) => `${id}-${iuv}`);
      const answers = await Promise.all(
        ids.map((receiptId) => node.call("paSendRTV2", sendRtArgs(station, receipt(iuv, nav, 10_000, { receiptId })))),
      );
      const winners = new Set(ids.filter((_id, i) => answers[i]?.result.outcome === "OK"));
      expect(winners.size).toBe(1);
      const [winner] = [...winners];
      for (const [i, answer] of answers.entries()) {
        if (ids[i] === winner) await expectOk(answer);
        else await expectFault(answer, "PAA_RECEIPT_DUPLICATA");
      }
      expect(await position(iupd)).toMatchObject({ status: "PAID", paymentOption: [{ idReceipt: winner }] });
      expect((await listedReceipts()).filter((x) => x === iuv)).toHaveLength(1);
      const detail = await callApi("GET", `/payments/${org}/receipts/${iuv}`, { key: ecKey });
      expect(detail.text).toContain(`<receiptId>${winner ?? ""}</receiptId>`);
    });
  });

  describe("protocol", () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl()}/paForNode`, {
        method: "POST",
        headers: { "Content-Type": "text/xml; charset=utf-8", ...headers },
        body,
      });

    it("answers 401 without a key and 403 with a key lacking the node product", async () => {
      const { options } = await aPosition([{}]);
      const envelope = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><pafn:paVerifyPaymentNoticeReq xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><idPA>${org}</idPA><idBrokerPA>${broker}</idBrokerPA><idStation>${broker}_01</idStation><qrCode><fiscalCode>${org}</fiscalCode><noticeNumber>${options[0]!.nav}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
      expect((await post(envelope)).status).toBe(401);
      expect((await post(envelope, { "Ocp-Apim-Subscription-Key": "not-a-key" })).status).toBe(401);
      expect((await post(envelope, { "Ocp-Apim-Subscription-Key": ecKey })).status).toBe(403);
    });

    it("answers 400 with a SOAP Client fault for what is not a SOAP request, hostile XML included", async () => {
      const nodeKey = (await aKey({ organizations: [], products: ["node"] })).key;
      const headers = { "Ocp-Apim-Subscription-Key": nodeKey };
      const bodies = [
        '{"idPA":"1"}',
        "",
        "<notSoap/>",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>`,
        `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x/></soapenv:Body></soapenv:Envelope>`,
      ];
      for (const body of bodies) {
        const response = await post(body, headers);
        expect(response.status).toBe(400);
        expect(response.headers.get("content-type")).toMatch(/^text\/xml/);
        expect(await response.text()).toMatch(/<soapenv:Fault><faultcode>soapenv:Client<\/faultcode><faultstring>/);
      }
    });

    it("dispatches by the body's element when SOAPAction is absent, and serves the WSDL's schemas", async () => {
      const nodeKey = (await aKey({ organizations: [], products: ["node"] })).key;
      const { options } = await aPosition([{}]);
      const envelope = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body><pafn:paVerifyPaymentNoticeReq><idPA>${org}</idPA><idBrokerPA>${broker}</idBrokerPA><idStation>${broker}_01</idStation><qrCode><fiscalCode>${org}</fiscalCode><noticeNumber>${options[0]!.nav}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
      const response = await post(envelope, { "Ocp-Apim-Subscription-Key": nodeKey });
      expect(response.status).toBe(200);
      const xml = await response.text();
      expect(xml).toContain("<outcome>OK</outcome>");
      expect(await xsdErrorsOf(xml)).toEqual([]);

      const wsdl = await (await fetch(`${baseUrl()}/paForNode?wsdl`)).text();
      expect(wsdl).toContain('schemaLocation="paForNode?xsd=paForNode.xsd"');
      expect(wsdl).toContain(`<soap:address location="${baseUrl()}/paForNode"`);
      const xsd = await fetch(`${baseUrl()}/paForNode?xsd=paForNode.xsd`);
      expect(xsd.status).toBe(200);
      expect(await xsd.text()).toContain('schemaLocation="paForNode?xsd=sac-common-types-1.0.xsd"');
      expect((await fetch(`${baseUrl()}/paForNode?xsd=../../etc/passwd`)).status).toBe(404);
    });
  });
});
