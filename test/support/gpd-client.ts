// A small HTTP client for end-to-end tests against the local host, plus request bodies as a client would send them.
import { randomInt } from "node:crypto";
import { testBaseUrl } from "./stack";

export interface ApiResponse {
  status: number;
  contentType: string | null;
  requestId: string | null;
  text: string;
  body: unknown;
}

export function baseUrl(): string {
  const url = testBaseUrl();
  if (url === undefined) throw new Error("no test host: run `npm run build` before jest");
  return url;
}

export async function callApi(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; url?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key !== undefined) headers["Ocp-Apim-Subscription-Key"] = options.key;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] ??= "application/json";
  }
  const response = await fetch(`${options.url ?? baseUrl()}${path}`, { method, headers, body });
  const text = await response.text();
  const contentType = response.headers.get("content-type");
  let parsed: unknown = undefined;
  if (text.length > 0 && contentType !== null && /json/.test(contentType)) parsed = JSON.parse(text) as unknown;
  return { status: response.status, contentType, requestId: response.headers.get("x-request-id"), text, body: parsed };
}

export const registeredIban = "IT60X0542811101000000123456";

/** A 17-digit IUV with the given segregation code, unique enough for tests sharing one emulator. */
export const aFreshIuv = (segregationCode = "01"): string =>
  `${segregationCode}${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;

export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

export interface PositionBodyOptions {
  iupd?: string;
  iuvs?: string[];
  amount?: number;
  description?: string;
  dueDate?: string;
  validityDate?: string;
  switchToExpired?: boolean;
  companyName?: string;
  extra?: Record<string, unknown>;
}

/** A PaymentPositionModel body: one option per IUV, each paid to the EC's registered IBAN. */
export function aPositionBody(options: PositionBodyOptions = {}): Record<string, unknown> {
  const amount = options.amount ?? 12_345;
  return {
    iupd: options.iupd ?? `IUPD-${Date.now()}-${randomInt(0, 1_000_000)}`,
    type: "F",
    fiscalCode: "RSSMRA80A01H501U",
    fullName: "Mario Rossi",
    country: "IT",
    email: "mario.rossi@example.it",
    switchToExpired: options.switchToExpired ?? false,
    companyName: options.companyName ?? "Comune di Prova",
    validityDate: options.validityDate,
    paymentOption: (options.iuvs ?? [aFreshIuv()]).map((iuv) => ({
      iuv,
      amount,
      description: options.description ?? "TARI 2026",
      isPartialPayment: false,
      dueDate: options.dueDate ?? inDays(30),
      transfer: [
        { idTransfer: "1", amount, remittanceInformation: "TARI 2026", category: "9/0101108TS/", iban: registeredIban },
      ],
    })),
    ...(options.extra ?? {}),
  };
}
