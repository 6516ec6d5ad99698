// `npm run docs:notice`: renders the sample notice of README.md with the project's own renderer
// (docs/notice-example.pdf) and a picture of its first page (docs/notice-example.png, drawn by pdfjs-dist through
// test/support/pdf-reader.mjs, which also checks that its QR code and data matrix decode).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderNoticePdf } from "../shared/adapters/pdf/notice-pdf";
import type { DebtPosition } from "../shared/domain/debt-positions/model";
import { buildNotice } from "../shared/domain/notices/notice";
import { newOrganization } from "../shared/domain/organizations/organization";

const root = path.resolve(__dirname, "../..");
const at = "2026-11-30T09:00:00.000Z";

const organization = newOrganization({
  fiscalCode: "77777777777",
  companyName: "Comune di Prova",
  ibans: ["IT60X0542811101000000123456"],
  postalIbans: ["IT93X0760103200001234567890"],
  cbill: "AB123",
  now: new Date(at),
});

const position: DebtPosition = {
  organizationFiscalCode: "77777777777",
  iupd: "IUPD-0001",
  type: "F",
  payStandIn: true,
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  streetName: "Via Roma",
  civicNumber: "1",
  postalCode: "00100",
  city: "Roma",
  province: "RM",
  switchToExpired: false,
  companyName: "Comune di Prova",
  insertedDate: at,
  lastUpdatedDate: at,
  publishDate: at,
  validityDate: at,
  status: "VALID",
  paymentOption: [
    {
      nav: "301000000000000001",
      iuv: "01000000000000001",
      organizationFiscalCode: "77777777777",
      amount: 10000,
      description: "TARI 2026 - tassa sui rifiuti, saldo",
      isPartialPayment: false,
      dueDate: "2026-12-31T23:59:59.000Z",
      switchToExpired: false,
      fee: 0,
      notificationFee: 0,
      status: "PO_UNPAID",
      insertedDate: at,
      lastUpdatedDate: at,
      paymentOptionMetadata: [],
      transfer: [
        {
          idTransfer: "1",
          amount: 10000,
          organizationFiscalCode: "77777777777",
          remittanceInformation: "TARI 2026",
          category: "9/0101108TS/",
          iban: "IT60X0542811101000000123456",
          postalIban: "IT93X0760103200001234567890",
          transferMetadata: [],
          status: "T_UNREPORTED",
          insertedDate: at,
          lastUpdatedDate: at,
        },
      ],
    },
  ],
};

async function main(): Promise<void> {
  const now = new Date(at);
  const pdf = await renderNoticePdf(buildNotice(position, organization, now), now);
  const pdfPath = path.join(root, "docs/notice-example.pdf");
  writeFileSync(pdfPath, pdf);
  const reader = path.join(root, "test/support/pdf-reader.mjs");
  const png = path.join(root, "docs/notice-example.png");
  const read = JSON.parse(execFileSync(process.execPath, [reader, pdfPath, "--png", png], { encoding: "utf8" })) as {
    pages: { qrCodes: string[]; dataMatrices: string[] }[];
  };
  console.log(`${pdfPath}\n${png}\nQR: ${JSON.stringify(read.pages[0]?.qrCodes)}`);
  console.log(`data matrix: ${JSON.stringify(read.pages[0]?.dataMatrices)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
