// Builders of valid receipt (paSendRTV2Request) and reporting-flow (FlussoRiversamento) XML for tests: every option has a
// default, amounts are given in cents and written as euros, totals are computed unless overridden (to build
// inconsistent documents on purpose).

import { centsToEuros } from "../../shared/domain/money";

export const xmlEscape = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

export interface ReceiptTransferSpec {
  idTransfer?: number;
  amountCents: number;
  fiscalCodePA?: string;
  iban?: string;
  /** Base64; when given, the transfer carries MBDAttachment instead of IBAN. */
  mbdAttachment?: string;
  remittanceInformation?: string;
  category?: string;
}

export interface ReceiptXmlOptions {
  idPA?: string;
  iuv?: string;
  /** Defaults to "3" + iuv. */
  noticeNumber?: string;
  /** Defaults to the sum of the transfers, or 10000 with one transfer. */
  amountCents?: number;
  receiptId?: string;
  debtorFiscalCode?: string;
  debtorType?: "F" | "G";
  /** As written in the XML; "" leaves the element out. */
  paymentDateTime?: string;
  feeCents?: number;
  outcome?: "OK" | "KO";
  transfers?: ReceiptTransferSpec[];
  standin?: boolean;
  soapEnvelope?: boolean;
}

export function aReceiptXml(o: ReceiptXmlOptions = {}): string {
  const idPA = o.idPA ?? "77777777777";
  const iuv = o.iuv ?? "01000000000000001";
  const transfers: ReceiptTransferSpec[] = o.transfers ?? [{ amountCents: o.amountCents ?? 10000 }];
  const amountCents = o.amountCents ?? transfers.reduce((a, t) => a + t.amountCents, 0);
  const paymentDateTime = o.paymentDateTime ?? "2026-03-10T09:15:30.000Z";
  const transferXml = transfers
    .map((t, i) => {
      const target =
        t.mbdAttachment !== undefined
          ? `<MBDAttachment>${t.mbdAttachment}</MBDAttachment>`
          : `<IBAN>${xmlEscape(t.iban ?? "IT60X0542811101000000123456")}</IBAN>`;
      return `
        <transfer>
          <idTransfer>${t.idTransfer ?? i + 1}</idTransfer>
          <transferAmount>${centsToEuros(t.amountCents)}</transferAmount>
          <fiscalCodePA>${xmlEscape(t.fiscalCodePA ?? idPA)}</fiscalCodePA>
          ${target}
          <remittanceInformation>${xmlEscape(t.remittanceInformation ?? `Transfer ${i + 1}`)}</remittanceInformation>
          <transferCategory>${xmlEscape(t.category ?? "9/0101108TS/")}</transferCategory>
        </transfer>`;
    })
    .join("");
  const request = `<pafn:paSendRTV2Request xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">
  <idPA>${xmlEscape(idPA)}</idPA>
  <idBrokerPA>${xmlEscape(idPA)}</idBrokerPA>
  <idStation>${xmlEscape(idPA)}_01</idStation>
  <receipt>
    <receiptId>${xmlEscape(o.receiptId ?? "c0ffee00c0ffee00c0ffee00c0ffee00")}</receiptId>
    <noticeNumber>${xmlEscape(o.noticeNumber ?? `3${iuv}`)}</noticeNumber>
    <fiscalCode>${xmlEscape(idPA)}</fiscalCode>
    <outcome>${o.outcome ?? "OK"}</outcome>
    <creditorReferenceId>${xmlEscape(iuv)}</creditorReferenceId>
    <paymentAmount>${centsToEuros(amountCents)}</paymentAmount>
    <description>Test payment</description>
    <companyName>Comune di Prova</companyName>
    <debtor>
      <uniqueIdentifier>
        <entityUniqueIdentifierType>${o.debtorType ?? "F"}</entityUniqueIdentifierType>
        <entityUniqueIdentifierValue>${xmlEscape(o.debtorFiscalCode ?? "RSSMRA80A01H501U")}</entityUniqueIdentifierValue>
      </uniqueIdentifier>
      <fullName>Mario Rossi</fullName>
    </debtor>
    <transferList>${transferXml}
    </transferList>
    <idPSP>PSPTEST01</idPSP>
    <pspFiscalCode>00000000001</pspFiscalCode>
    <PSPCompanyName>Banca di Prova</PSPCompanyName>
    <idChannel>00000000001_01</idChannel>
    <channelDescription>app</channelDescription>
    <paymentMethod>creditCard</paymentMethod>
    ${o.feeCents === undefined ? "" : `<fee>${centsToEuros(o.feeCents)}</fee>`}
    ${paymentDateTime === "" ? "" : `<paymentDateTime>${xmlEscape(paymentDateTime)}</paymentDateTime>`}
  </receipt>
  ${o.standin === undefined ? "" : `<standin>${o.standin}</standin>`}
</pafn:paSendRTV2Request>`;
  const body = o.soapEnvelope
    ? `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
<soapenv:Header/>
<soapenv:Body>
${request}
</soapenv:Body>
</soapenv:Envelope>`
    : request;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
}

export interface FlowPaymentSpec {
  iuv: string;
  iur?: string;
  /** Omitted from the XML when undefined. */
  transferIndex?: number;
  amountCents: number;
  outcome?: "0" | "3" | "4" | "9";
  outcomeDate?: string;
}

export interface FlowXmlOptions {
  flowId?: string;
  /** As written in the XML. */
  flowDateTime?: string;
  /** Receiving organization fiscal code. */
  receiver?: string;
  payments?: FlowPaymentSpec[];
  /** Override the computed numeroTotalePagamenti. */
  totalPayments?: number;
  /** Override the computed importoTotalePagamenti. */
  totalAmountCents?: number;
  pspId?: string;
}

export function aFlowXml(o: FlowXmlOptions = {}): string {
  const pspId = o.pspId ?? "PSPTEST01";
  const flowDateTime = o.flowDateTime ?? "2026-03-12T06:00:00";
  const payments = o.payments ?? [{ iuv: "01000000000000001", transferIndex: 1, amountCents: 10000 }];
  const entries = payments
    .map(
      (p, i) => `
  <datiSingoliPagamenti>
    <identificativoUnivocoVersamento>${xmlEscape(p.iuv)}</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>${xmlEscape(p.iur ?? `IUR${String(i + 1).padStart(6, "0")}`)}</identificativoUnivocoRiscossione>${
      p.transferIndex === undefined
        ? ""
        : `\n    <indiceDatiSingoloPagamento>${p.transferIndex}</indiceDatiSingoloPagamento>`
    }
    <singoloImportoPagato>${centsToEuros(p.amountCents)}</singoloImportoPagato>
    <codiceEsitoSingoloPagamento>${p.outcome ?? "0"}</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>${p.outcomeDate ?? flowDateTime.slice(0, 10)}</dataEsitoSingoloPagamento>
  </datiSingoliPagamenti>`,
    )
    .join("");
  const total = o.totalAmountCents ?? payments.reduce((a, p) => a + p.amountCents, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>${xmlEscape(o.flowId ?? `${flowDateTime.slice(0, 10)}${pspId}-S000000001`)}</identificativoFlusso>
  <dataOraFlusso>${xmlEscape(flowDateTime)}</dataOraFlusso>
  <identificativoUnivocoRegolamento>TRN-0000000001</identificativoUnivocoRegolamento>
  <dataRegolamento>${flowDateTime.slice(0, 10)}</dataRegolamento>
  <istitutoMittente>
    <identificativoUnivocoMittente>
      <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>${xmlEscape(pspId)}</codiceIdentificativoUnivoco>
    </identificativoUnivocoMittente>
    <denominazioneMittente>Banca di Prova</denominazioneMittente>
  </istitutoMittente>
  <istitutoRicevente>
    <identificativoUnivocoRicevente>
      <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>${xmlEscape(o.receiver ?? "77777777777")}</codiceIdentificativoUnivoco>
    </identificativoUnivocoRicevente>
  </istitutoRicevente>
  <numeroTotalePagamenti>${o.totalPayments ?? payments.length}</numeroTotalePagamenti>
  <importoTotalePagamenti>${centsToEuros(total)}</importoTotalePagamenti>${entries}
</FlussoRiversamento>
`;
}
