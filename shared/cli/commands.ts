// The operator CLI's commands: one table, so `gpd help`, `gpd <area> --help` and `gpd <area> <command> --help` are
// generated from the same entries that run. Separate from process handling so tests run them against the emulator.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { DomainError } from "../domain/errors";
import type { NewWebhookInput, Webhook } from "../domain/events/webhooks";
import type { FlowResult } from "../domain/reporting/flow-report";
import type { FlowRecord } from "../domain/reporting/ports";
import { newOrganization, type Organization, type OrganizationRepository } from "../domain/organizations/organization";
import type { SubscriptionRepository } from "../domain/subscriptions/ports";
import {
  environments,
  generateKey,
  newSubscription,
  products,
  type Environment,
  type Product,
  type Subscription,
} from "../domain/subscriptions/subscription";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export type InboxKind = "receipts" | "flows";

export interface RejectedFile {
  name: string;
  reason: string;
  rejectedAt: string | undefined;
  size: number;
}

/** The webhook use cases the CLI offers, on behalf of an organization (as its own key would). */
export interface CliWebhooks {
  create(organizationFiscalCode: string, input: NewWebhookInput): Promise<Webhook>;
  list(organizationFiscalCode: string): Promise<Webhook[]>;
  delete(organizationFiscalCode: string, id: string): Promise<void>;
}

export interface CliDeps {
  webhooks?: CliWebhooks;
  subscriptions: SubscriptionRepository;
  organizations: OrganizationRepository;
  /** Puts a file into the receipts or flows inbox container (what the platform does in production). */
  dropIntoInbox(kind: InboxKind, name: string, bytes: Buffer): Promise<void>;
  /**
   * A reporting flow's record (revisions, reconciliation) and what applying its newest revision did; without an
   * organization, the one organization holding a flow of that id (a UsageError when several do).
   */
  flowResult?(
    organization: string | undefined,
    flowId: string,
  ): Promise<{ record: FlowRecord; result: FlowResult | undefined } | undefined>;
  /** Files the ingestion jobs refused, with the reason they were given. */
  listRejected(kind: InboxKind): Promise<RejectedFile[]>;
  readFile(path: string): Promise<Buffer>;
  /** The files a path names: itself, or the files directly inside it when it is a folder. */
  expandPath(path: string): Promise<string[]>;
  environment: Environment;
  clock: () => Date;
  /** The Function App (or local host) the HTTP commands talk to: GPD_HOST_URL, default the local host. */
  hostUrl: string;
  /** The subscription key of HTTP commands, when not given with --key: GPD_KEY. */
  defaultKey: string | undefined;
  fetch: typeof fetch;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  sleep(ms: number): Promise<void>;
}

export class UsageError extends Error {
  override name = "UsageError";
  /** The command whose usage to show with the error, if any. */
  readonly command: Command | undefined;

  constructor(message: string, command?: Command) {
    super(message);
    this.command = command;
  }
}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;
type Values = ReturnType<typeof parseArgs>["values"];

interface RunContext {
  values: Values;
  positionals: string[];
  deps: CliDeps;
  io: CliIo;
  /** --json: machine-readable output, one JSON document on stdout. */
  json: boolean;
}

export interface Command {
  area: string;
  name: string;
  /** One line for the list of commands. */
  summary: string;
  /** The options, as they appear after `gpd <area> <name>`. */
  synopsis: string;
  /** What the command does, a few lines. */
  description: string;
  options: ParseOptions;
  positionals?: boolean;
  run(context: RunContext): Promise<void>;
}

const csv = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v.length > 0);

const text = (values: Values, flag: string): string | undefined => {
  const value = values[flag];
  return typeof value === "string" ? value : undefined;
};

const list = (values: Values, flag: string): string[] | undefined => {
  const value = values[flag];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
};

const flag = (values: Values, name: string): boolean => values[name] === true;

function required(values: Values, name: string, command: Command): string {
  const value = text(values, name);
  if (value === undefined || value.trim() === "") throw new UsageError(`missing --${name}`, command);
  return value.trim();
}

const describeSubscription = (s: Subscription): string =>
  [
    s.name,
    s.revokedAt === undefined ? "active" : `revoked ${s.revokedAt}`,
    `env=${s.environment}`,
    `orgs=${s.organizations.join(",") || "-"}`,
    `products=${s.products.join(",")}`,
    `segregation-codes=${s.segregationCodes?.join(",") ?? "all"}`,
    `created ${s.createdAt}`,
  ].join("  ");

/** What `subscription list --json` shows: everything but the key hash. */
const publicSubscription = ({ keyHash: _keyHash, ...rest }: Subscription) => rest;

const describeOrganization = (o: Organization): string =>
  [
    o.fiscalCode,
    o.companyName,
    `ibans=${o.ibans.length + o.postalIbans.length}`,
    `broker=${o.brokerCode ?? "-"}`,
    `stations=${o.stationCodes.join(",") || "-"}`,
    `fdr3=${o.fdr3Enabled ? "on" : "off"}`,
  ].join("  ");

const inboxKinds: readonly InboxKind[] = ["receipts", "flows"];

function inboxKind(values: Values, command: Command): InboxKind {
  const kind = required(values, "kind", command);
  if (!(inboxKinds as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be receipts or flows, got ${kind}`, command);
  }
  return kind as InboxKind;
}

const subscriptionCreate: Command = {
  area: "subscription",
  name: "create",
  summary: "create a subscription key (printed once)",
  synopsis: `--name N --orgs A,B [--products P,Q] [--segregation-codes 01,02] [--env UAT|PROD] [--force]`,
  description: [
    "Creates a key and prints it alone on the last line: it is shown once, only its hash is stored.",
    `Products: ${products.join(", ")}.`,
    "They default to debt-positions,receipts (reporting and the others must be asked for explicitly).",
    "A key with only the node product (the payment node's) needs no --orgs.",
    "Naming an organization that is not registered is refused unless --force is given.",
  ].join("\n"),
  options: {
    name: { type: "string" },
    orgs: { type: "string" },
    products: { type: "string" },
    "segregation-codes": { type: "string" },
    env: { type: "string" },
    force: { type: "boolean" },
  },
  async run({ values, deps, io, json }) {
    const requestedProducts = csv(text(values, "products"));
    const unknown = (requestedProducts ?? []).filter((p) => !(products as readonly string[]).includes(p));
    if (unknown.length > 0) {
      throw new UsageError(`unknown product(s): ${unknown.join(", ")} (known: ${products.join(", ")})`, this);
    }
    const env = text(values, "env") ?? deps.environment;
    if (!(environments as readonly string[]).includes(env)) {
      throw new UsageError(`--env must be UAT or PROD, got ${env}`, this);
    }
    const name = required(values, "name", this);
    const organizations = csv(text(values, "orgs")) ?? [];
    const nodeOnly = requestedProducts !== undefined && requestedProducts.every((p) => p === "node");
    if (organizations.length === 0 && !nodeOnly) throw new UsageError("missing --orgs", this);
    const registered = organizations.length === 0 ? new Map() : await deps.organizations.findMany(organizations);
    const unregistered = organizations.filter((o) => !registered.has(o));
    if (unregistered.length > 0) {
      const message = `organization(s) not registered: ${unregistered.join(", ")} (gpd organization upsert …)`;
      if (!flag(values, "force")) throw new UsageError(`${message}; pass --force to create the key anyway`, this);
      io.err(`warning: ${message}`);
    }
    const apiKey = generateKey();
    const subscription = newSubscription({
      key: apiKey,
      name,
      organizations,
      products: requestedProducts as Product[] | undefined,
      segregationCodes: csv(text(values, "segregation-codes")),
      environment: env as Environment,
      now: deps.clock(),
    });
    await deps.subscriptions.create(subscription);
    if (json) {
      io.out(JSON.stringify({ ...publicSubscription(subscription), key: apiKey }, null, 2));
      return;
    }
    io.out(`created subscription ${describeSubscription(subscription)}`);
    io.out("the key is shown once; store it now:");
    io.out(apiKey);
  },
};

const subscriptionList: Command = {
  area: "subscription",
  name: "list",
  summary: "list subscriptions (never their keys)",
  synopsis: "",
  description: "Lists every subscription with its organizations, products, segregation codes and state.",
  options: {},
  async run({ deps, io, json }) {
    printList(io, json, await deps.subscriptions.list(), {
      none: "no subscriptions",
      line: describeSubscription,
      asJson: publicSubscription,
    });
  },
};

const subscriptionRevoke: Command = {
  area: "subscription",
  name: "revoke",
  summary: "revoke a subscription by name",
  synopsis: "--name N",
  description: "Revokes the key; warm instances stop accepting it within the key cache TTL (at most 60 s).",
  options: { name: { type: "string" } },
  async run({ values, deps, io, json }) {
    const revoked = await deps.subscriptions.revoke(required(values, "name", this), deps.clock());
    if (json) {
      io.out(JSON.stringify(publicSubscription(revoked), null, 2));
      return;
    }
    io.out(`revoked ${describeSubscription(revoked)}`);
    io.out("warm instances stop accepting it within the key cache TTL (SUBSCRIPTION_CACHE_TTL_SECONDS, at most 60 s)");
  },
};

const organizationUpsert: Command = {
  area: "organization",
  name: "upsert",
  summary: "register or replace an organization",
  synopsis:
    "--fiscal-code F --name N [--iban I]... [--postal-iban P]... [--aux-digit D]\n" +
    "                    [--broker-code B] [--station-code S]... [--cbill C] [--fdr3 on|off]",
  description: [
    "Registers the organization (creditor) with the IBANs its transfers may credit, its aux digit (first digit of",
    "the notice number, default 3), its pagoPA broker and stations (checked on every paForNode request), the CBILL",
    "code printed on payment notices, and whether its reporting flows are read from FdR-3.",
    "The whole record is replaced: repeat every option you want to keep.",
  ].join("\n"),
  options: {
    "fiscal-code": { type: "string" },
    name: { type: "string" },
    iban: { type: "string", multiple: true },
    "postal-iban": { type: "string", multiple: true },
    "aux-digit": { type: "string" },
    "broker-code": { type: "string" },
    "station-code": { type: "string", multiple: true },
    cbill: { type: "string" },
    fdr3: { type: "string" },
  },
  async run({ values, deps, io, json }) {
    const fdr3 = text(values, "fdr3");
    if (fdr3 !== undefined && fdr3 !== "on" && fdr3 !== "off") {
      throw new UsageError(`--fdr3 takes on or off, not ${fdr3}`, this);
    }
    const organization = newOrganization({
      fiscalCode: required(values, "fiscal-code", this),
      companyName: required(values, "name", this),
      auxDigit: text(values, "aux-digit"),
      ibans: list(values, "iban"),
      postalIbans: list(values, "postal-iban"),
      brokerCode: text(values, "broker-code"),
      stationCodes: list(values, "station-code"),
      cbill: text(values, "cbill"),
      fdr3Enabled: fdr3 === undefined ? undefined : fdr3 === "on",
      now: deps.clock(),
    });
    await deps.organizations.upsert(organization);
    if (json) {
      io.out(JSON.stringify(organization, null, 2));
      return;
    }
    io.out(`saved organization ${organization.fiscalCode} (${organization.companyName})`);
  },
};

const organizationShow: Command = {
  area: "organization",
  name: "show",
  summary: "show one organization",
  synopsis: "--fiscal-code F",
  description: "Prints the organization's record as JSON.",
  options: { "fiscal-code": { type: "string" } },
  async run({ values, deps, io }) {
    const fiscalCode = required(values, "fiscal-code", this);
    const organization = await deps.organizations.find(fiscalCode);
    if (organization === undefined) throw new DomainError("ORGANIZATION_NOT_FOUND", `No organization ${fiscalCode}.`);
    io.out(JSON.stringify(organization, null, 2));
  },
};

const organizationList: Command = {
  area: "organization",
  name: "list",
  summary: "list registered organizations",
  synopsis: "",
  description: "Lists every registered organization, one line each.",
  options: {},
  async run({ deps, io, json }) {
    printList(io, json, await deps.organizations.list(), { none: "no organizations", line: describeOrganization });
  },
};

const inboxDrop: Command = {
  area: "inbox",
  name: "drop",
  summary: "put receipts or reporting flows into their inbox",
  synopsis: "--kind receipts|flows <file-or-folder>... [--name N]",
  description: [
    "Puts receipts (paSendRTV2Request) or reporting flows (FlussoRiversamento) into their inbox container, as the",
    "platform does in production. A folder drops every file directly inside it. The ingestion job picks them up on",
    "its schedule, or at once with POST /admin/functions/ingestReceipts|ingestReportingFlows on the local host.",
    "--name (one file only) sets the blob name; otherwise it is the time of the drop and the file name.",
  ].join("\n"),
  options: { kind: { type: "string" }, file: { type: "string", multiple: true }, name: { type: "string" } },
  positionals: true,
  async run({ values, positionals, deps, io, json }) {
    const kind = inboxKind(values, this);
    const paths = [...(list(values, "file") ?? []), ...positionals];
    if (paths.length === 0) throw new UsageError("name at least one file or folder", this);
    const files: string[] = [];
    for (const path of paths) {
      try {
        files.push(...(await deps.expandPath(path)));
      } catch (e) {
        throw new UsageError(`cannot read ${path}: ${(e as Error).message}`, this);
      }
    }
    const name = text(values, "name");
    if (name !== undefined && files.length !== 1) throw new UsageError("--name needs exactly one file", this);
    const stamp = deps.clock().toISOString().replace(/[:.]/g, "-");
    const dropped: { file: string; name: string }[] = [];
    // A few uploads at a time: dropping a folder of hundreds of receipts should take seconds, not minutes.
    const queue = [...files];
    const worker = async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const blobName = name ?? `${stamp}-${basename(file)}`;
        let bytes: Buffer;
        try {
          bytes = await deps.readFile(file);
        } catch (e) {
          throw new UsageError(`cannot read ${file}: ${(e as Error).message}`, this);
        }
        await deps.dropIntoInbox(kind, blobName, bytes);
        dropped.push({ file, name: blobName });
        if (!json) io.out(`dropped ${file} into the ${kind} inbox as ${blobName}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
    if (json) io.out(JSON.stringify({ kind, dropped }, null, 2));
    else if (files.length > 1) io.out(`${files.length} files dropped into the ${kind} inbox`);
  },
};

const rejectedCommand = (kind: InboxKind): Command => ({
  area: kind,
  name: "rejected",
  summary: `list ${kind === "receipts" ? "receipts" : "reporting flows"} the ingestion refused, with the reason`,
  synopsis: "",
  description: `Lists the files in the ${kind}-rejected container with the reason each was refused and when.`,
  options: {},
  async run({ deps, io, json }) {
    printList(io, json, await deps.listRejected(kind), {
      none: `no rejected ${kind}`,
      line: (r) => `${r.name}  ${r.rejectedAt ?? "-"}  ${r.reason}`,
    });
  },
});

const uploadOperationsByName = { create: "POST", update: "PUT", delete: "DELETE" } as const;

const uploadFile: Command = {
  area: "upload",
  name: "file",
  summary: "upload a ZIP of positions (create, update or delete) and follow it",
  synopsis: "<file.zip> --org F [--operation create|update|delete] [--key K] [--wait]",
  description: [
    "Sends the ZIP (one .json: {paymentPositions:[…]} or, to delete, {paymentPositionIUPDs:[…]}) to",
    "POST|PUT|DELETE /brokers/{broker}/organizations/{org}/debtpositions/file, the broker being the organization's",
    "registered one. With --wait it follows the status until the upload completes and prints the report's groups.",
    "The key is --key or GPD_KEY; the service is GPD_HOST_URL (default http://localhost:7071).",
    "Short form: gpd upload <file.zip> --org F [--wait].",
  ].join("\n"),
  options: {
    org: { type: "string" },
    operation: { type: "string" },
    key: { type: "string" },
    wait: { type: "boolean" },
  },
  positionals: true,
  async run({ values, positionals, deps, io, json }) {
    const [path, ...extra] = positionals;
    if (path === undefined || extra.length > 0) throw new UsageError("name exactly one ZIP file", this);
    const org = required(values, "org", this);
    const operation = text(values, "operation") ?? "create";
    if (!(operation in uploadOperationsByName))
      throw new UsageError(`--operation must be create, update or delete`, this);
    const key = text(values, "key") ?? deps.defaultKey;
    if (key === undefined) throw new UsageError("missing --key (or GPD_KEY)", this);
    const organization = await deps.organizations.find(org);
    if (organization?.brokerCode === undefined) {
      throw new DomainError("ORGANIZATION_NOT_FOUND", `Organization ${org} is not registered with a broker code.`);
    }
    let zip: Buffer;
    try {
      zip = await deps.readFile(path);
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${(e as Error).message}`, this);
    }
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(zip)], { type: "application/zip" }), basename(path));
    const base = `${deps.hostUrl}/brokers/${organization.brokerCode}/organizations/${org}/debtpositions`;
    const headers = { "Ocp-Apim-Subscription-Key": key };
    const method = uploadOperationsByName[operation as keyof typeof uploadOperationsByName];
    const accepted = await deps.fetch(`${base}/file`, { method, headers, body: form });
    if (accepted.status !== 202)
      throw new DomainError("BAD_REQUEST", `upload refused: ${accepted.status} ${await accepted.text()}`);
    const location = accepted.headers.get("location") ?? "";
    if (!json) io.out(`accepted: ${deps.hostUrl}${location}`);
    if (!flag(values, "wait")) {
      if (json) io.out(JSON.stringify({ location }, null, 2));
      return;
    }
    let last = "";
    for (;;) {
      const status = (await (await deps.fetch(`${deps.hostUrl}${location}`, { headers })).json()) as {
        processedItem: number;
        submittedItem: number;
        operationStatus: string;
      };
      const line = `${status.operationStatus}: ${status.processedItem}/${status.submittedItem}`;
      if (!json && line !== last) io.out(line);
      last = line;
      if (status.operationStatus !== "IN_PROGRESS") break;
      await deps.sleep(1000);
    }
    const report = (await (
      await deps.fetch(`${deps.hostUrl}${location.replace(/status$/, "report")}`, { headers })
    ).json()) as {
      responses: { statusCode: number; statusMessage: string; requestIDs: string[] }[];
    };
    if (json) {
      io.out(JSON.stringify(report, null, 2));
      return;
    }
    for (const group of report.responses) {
      const sample = group.requestIDs.slice(0, 5).join(", ");
      const more = group.requestIDs.length > 5 ? `, … (${group.requestIDs.length - 5} more)` : "";
      io.out(`${group.statusCode} ${group.statusMessage}: ${group.requestIDs.length} [${sample}${more}]`);
    }
  },
};

const uploadSample: Command = {
  area: "upload",
  name: "sample",
  summary: "write a ZIP of example positions for an organization",
  synopsis: "--org F --count N --out file.zip [--prefix P]",
  description: [
    "Writes a ZIP holding {paymentPositions:[…]} with N valid positions for the organization (one option of 100.00 €",
    "due in 30 days, paid to its first registered IBAN), IUPDs <prefix>-0 … <prefix>-(N-1).",
  ].join("\n"),
  options: { org: { type: "string" }, count: { type: "string" }, out: { type: "string" }, prefix: { type: "string" } },
  async run({ values, deps, io }) {
    const org = required(values, "org", this);
    const count = Number(required(values, "count", this));
    if (!Number.isInteger(count) || count < 1 || count > 100_000)
      throw new UsageError("--count must be 1 to 100000", this);
    const out = required(values, "out", this);
    const organization = await deps.organizations.find(org);
    const iban = organization?.ibans[0];
    if (iban === undefined)
      throw new DomainError("ORGANIZATION_NOT_FOUND", `Organization ${org} has no registered IBAN.`);
    const prefix = text(values, "prefix") ?? `SAMPLE-${deps.clock().getTime()}`;
    const dueDate = new Date(deps.clock().getTime() + 30 * 86_400_000).toISOString();
    const serial = String(deps.clock().getTime() % 1e6).padStart(6, "0");
    const paymentPositions = Array.from({ length: count }, (_, i) => ({
      iupd: `${prefix}-${i}`,
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "Mario Rossi",
      companyName: organization?.companyName ?? "Comune",
      switchToExpired: false,
      paymentOption: [
        {
          iuv: `01${serial}${String(i).padStart(9, "0")}`,
          amount: 10_000,
          description: "Example position",
          isPartialPayment: false,
          dueDate,
          transfer: [
            { idTransfer: "1", amount: 10_000, remittanceInformation: "Example", category: "9/0101108TS/", iban },
          ],
        },
      ],
    }));
    const { zipSync, strToU8 } = await import("fflate");
    await deps.writeFile(out, zipSync({ "positions.json": strToU8(JSON.stringify({ paymentPositions })) }));
    io.out(`wrote ${count} positions (${prefix}-0 … ${prefix}-${count - 1}) to ${out}`);
  },
};

interface InvocationRecord {
  id: string;
  functionName: string;
  status: string;
  error?: string;
  startedAt: string;
  endedAt?: string;
  log?: string[];
}

const jobRun: Command = {
  area: "job",
  name: "run",
  summary: "run a timer or queue function now; --wait prints how it ended",
  synopsis: "<name> [--wait] [--input I]",
  description: [
    "Asks the Functions host to run the function now (POST /admin/functions/<name>, as on Azure's admin API):",
    "validateDebtPositions, expireDebtPositions, ingestReceipts, ingestReportingFlows, ingestFdr3Flows,",
    "ingestStatements, recoverBulkCreates, finishStalledUploads, dispatchEvents, …  With --wait it follows the run",
    "(GET /admin/invocations/<id>, a local host extension) and prints its outcome and the lines it logged, the last",
    "one being the job's summary; a failed run exits with 1. The host is GPD_HOST_URL (default http://localhost:7071).",
  ].join("\n"),
  options: { wait: { type: "boolean" }, input: { type: "string" } },
  positionals: true,
  async run({ values, positionals, deps, io, json }) {
    const [name, ...extra] = positionals;
    if (name === undefined || extra.length > 0) throw new UsageError("name exactly one function", this);
    const started = await deps.fetch(`${deps.hostUrl}/admin/functions/${encodeURIComponent(name)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: text(values, "input") ?? "" }),
    });
    if (started.status !== 202) {
      throw new DomainError("BAD_REQUEST", `${name} was not started: ${started.status} ${await started.text()}`);
    }
    const id = started.headers.get("x-invocation-id") ?? "";
    if (!flag(values, "wait")) {
      io.out(json ? JSON.stringify({ id, functionName: name, status: "running" }, null, 2) : `started ${name} (${id})`);
      return;
    }
    let record: InvocationRecord;
    for (;;) {
      const answer = await deps.fetch(`${deps.hostUrl}/admin/invocations/${id}`);
      if (answer.status !== 200) {
        throw new DomainError("BAD_REQUEST", `cannot follow ${name} (${id}): ${answer.status} ${await answer.text()}`);
      }
      record = (await answer.json()) as InvocationRecord;
      if (record.status !== "running") break;
      await deps.sleep(200);
    }
    if (json) io.out(JSON.stringify(record, null, 2));
    else {
      const ms = record.endedAt === undefined ? NaN : Date.parse(record.endedAt) - Date.parse(record.startedAt);
      io.out(`${name} ${record.status} in ${ms} ms (${id})`);
      for (const line of record.log ?? []) io.out(`  ${line}`);
    }
    if (record.status !== "succeeded") {
      throw new DomainError("BAD_REQUEST", `${name} failed: ${record.error ?? "(no error recorded)"}`);
    }
  },
};

const money = (cents: number): string => `${(cents / 100).toFixed(2)} €`;

const flowsResult: Command = {
  area: "flows",
  name: "result",
  summary: "what applying a reporting flow did, and whether it is reconciled",
  synopsis: "<flowId> [--org F]",
  description: [
    "Prints the flow's source, revisions and total, how many entries were applied, each entry that was not",
    "(unknown-iuv, not-accountable, revoked, …) with its IUV and IUPD, and the reconciliation with the bank's",
    "credit once a statement has matched it. The same data as GET …/reportings/{flowId}/result.",
    "--org is needed only when flows of several organizations share the id.",
  ].join("\n"),
  options: { org: { type: "string" } },
  positionals: true,
  async run({ values, positionals, deps, io, json }) {
    const [flowId, ...extra] = positionals;
    if (flowId === undefined || extra.length > 0) throw new UsageError("name exactly one flow id", this);
    const org = values.org === undefined ? undefined : organizationOf(values, this);
    if (deps.flowResult === undefined) throw new UsageError("flow results are not available here");
    const found = await deps.flowResult(org, flowId);
    if (found === undefined) {
      const where = org === undefined ? "" : ` for organization ${org}`;
      throw new DomainError("FLOW_NOT_FOUND", `No reporting flow ${flowId}${where}.`);
    }
    const { record, result } = found;
    if (json) {
      io.out(JSON.stringify({ flow: record, result: result ?? null }, null, 2));
      return;
    }
    const state =
      record.applyingRevision !== undefined
        ? `being applied (revision ${record.applyingRevision})`
        : record.rejection !== undefined && record.rejection.revision > (record.appliedRevision ?? 0)
          ? `revision ${record.rejection.revision} rejected: ${record.rejection.reason}`
          : `revision ${record.appliedRevision ?? "-"} applied`;
    io.out(
      `${record.flowId}  ${record.source}  psp=${record.pspId}  date=${record.flowDate}  ${state}  ` +
        `${record.totalPayments} payment(s), ${money(record.totalAmountCents)}`,
    );
    if (result === undefined) io.out("no result recorded yet");
    else {
      io.out(
        `${result.entries} entries: ${result.reported} applied, ${result.revoked} revoked, ` +
          `${result.notApplied} not applied (processed ${result.processedAt})`,
      );
      for (const e of result.unapplied) {
        const detail = e.detail === undefined ? "" : `  ${e.detail}`;
        io.out(
          `  entry ${e.entry}  iuv=${e.iuv}  transfer=${e.transferIndex}  iupd=${e.iupd ?? "-"}  ${e.status}${detail}`,
        );
      }
    }
    io.out(
      record.reconciliation === undefined
        ? "not reconciled: no credit in a bank statement matches it yet"
        : `reconciled on ${record.reconciliation.reconciledDate} (${record.reconciliation.reference})`,
    );
  },
};

function webhooksOf(deps: CliDeps): CliWebhooks {
  if (deps.webhooks === undefined) throw new UsageError("webhook commands are not available here");
  return deps.webhooks;
}

/** A list as every list command prints it: JSON with --json (`asJson` per item), else a line per item, or `none`. */
function printList<T>(
  io: CliIo,
  json: boolean,
  items: readonly T[],
  print: { none: string; line: (item: T) => string; asJson?: (item: T) => unknown },
): void {
  if (json) {
    io.out(JSON.stringify(print.asJson === undefined ? items : items.map(print.asJson), null, 2));
    return;
  }
  if (items.length === 0) io.out(print.none);
  for (const item of items) io.out(print.line(item));
}

function organizationOf(values: Values, command: Command): string {
  const org = required(values, "org", command);
  if (!/^\d{11}$/.test(org)) {
    throw new UsageError(`--org must be an organization fiscal code (11 digits), got ${org}`, command);
  }
  return org;
}

const describeWebhook = (w: Webhook): string =>
  [
    w.id,
    w.status,
    w.url,
    w.types.join(","),
    ...(w.description === undefined ? [] : [JSON.stringify(w.description)]),
  ].join("  ");

const webhookList: Command = {
  area: "webhook",
  name: "list",
  summary: "list an organization's webhooks (never their secrets)",
  synopsis: "--org F",
  description: "Prints one line per webhook: id, status, url, event types, description.",
  options: { org: { type: "string" } },
  async run({ values, deps, io, json }) {
    printList(io, json, await webhooksOf(deps).list(organizationOf(values, this)), {
      none: "no webhooks",
      line: describeWebhook,
      asJson: ({ secret: _secret, ...w }) => w,
    });
  },
};

const webhookCreate: Command = {
  area: "webhook",
  name: "create",
  summary: "register a webhook; prints its signing secret once",
  synopsis: "--org F --url U --types T1,T2 [--description D]",
  description:
    "Registers a receiver for the organization's events (docs/guides/events.md). The signing secret (whsec_…) is\n" +
    "printed alone on the last line and never shown again.",
  options: {
    org: { type: "string" },
    url: { type: "string" },
    types: { type: "string" },
    description: { type: "string" },
  },
  async run({ values, deps, io, json }) {
    const webhook = await webhooksOf(deps).create(organizationOf(values, this), {
      url: required(values, "url", this),
      types: csv(required(values, "types", this)) ?? [],
      description: text(values, "description"),
    });
    if (json) {
      io.out(JSON.stringify(webhook));
      return;
    }
    io.out(`created webhook ${describeWebhook(webhook)}`);
    io.out("the signing secret is shown once; store it now:");
    io.out(webhook.secret);
  },
};

const webhookDelete: Command = {
  area: "webhook",
  name: "delete",
  summary: "delete a webhook",
  synopsis: "--org F --id ID",
  description: "Stops deliveries and removes the webhook and its delivery records.",
  options: { org: { type: "string" }, id: { type: "string" } },
  async run({ values, deps, io }) {
    const id = required(values, "id", this);
    await webhooksOf(deps).delete(organizationOf(values, this), id);
    io.out(`deleted webhook ${id}`);
  },
};

export const commands: readonly Command[] = [
  subscriptionCreate,
  subscriptionList,
  subscriptionRevoke,
  organizationUpsert,
  organizationShow,
  organizationList,
  inboxDrop,
  rejectedCommand("receipts"),
  rejectedCommand("flows"),
  flowsResult,
  jobRun,
  uploadFile,
  uploadSample,
  webhookList,
  webhookCreate,
  webhookDelete,
];

const areas = (): string[] => [...new Set(commands.map((c) => c.area))];

export const usage = [
  "Usage: gpd <area> <command> [options]     (or: npm run gpd -- <area> <command> [options])",
  "",
  ...areas().flatMap((area) =>
    commands.filter((c) => c.area === area).map((c) => `  ${`${c.area} ${c.name}`.padEnd(24)}${c.summary}`),
  ),
  "",
  "Every command takes --help, and --json for machine-readable output.",
  "Settings (Cosmos, Storage) come from local.settings.json in the current folder, overridden by the environment.",
].join("\n");

export const commandUsage = (c: Command): string =>
  [`Usage: gpd ${c.area} ${c.name} ${c.synopsis}`.trimEnd(), "", c.description, "", "  --json   print JSON"].join("\n");

const areaUsage = (area: string): string =>
  [
    `Usage: gpd ${area} <command> [options]`,
    "",
    ...commands.filter((c) => c.area === area).map((c) => `  ${c.name.padEnd(12)}${c.summary}`),
    "",
    `gpd ${area} <command> --help tells more.`,
  ].join("\n");

const wantsHelp = (args: readonly string[]) => args.includes("--help") || args.includes("-h");

/** The text `gpd … --help` prints, or undefined when the arguments are a command to run. */
export function helpFor(argv: readonly string[]): string | undefined {
  const [area, name] = argv;
  if (area === undefined || area === "help" || area === "--help" || area === "-h") return usage;
  const command = commands.find((c) => c.area === area && c.name === name);
  if (command !== undefined) return wantsHelp(argv.slice(2)) ? commandUsage(command) : undefined;
  if (areas().includes(area) && (name === undefined || wantsHelp(argv.slice(1)))) return areaUsage(area);
  return undefined;
}

/** Finds the command the arguments name (UsageError with the right usage when none does). */
/**
 * The arguments as the commands read them: `gpd upload <file.zip> …` is short for `gpd upload file <file.zip> …`
 * (the form an uploader types most).
 */
export function expandShortForms(argv: readonly string[]): string[] {
  const [area, second] = argv;
  if (area === "upload" && second !== undefined && /\.zip$/i.test(second)) return ["upload", "file", ...argv.slice(1)];
  return [...argv];
}

export function resolveCommand(argv: readonly string[]): Command {
  const [area, name] = argv;
  const command = commands.find((c) => c.area === area && c.name === name);
  if (command !== undefined) return command;
  if (area !== undefined && areas().includes(area)) {
    throw new UsageError(`unknown command: gpd ${argv.slice(0, 2).join(" ")}\n\n${areaUsage(area)}`);
  }
  throw new UsageError(argv.length === 0 ? "no command given" : `unknown command: ${argv.join(" ")}`);
}

export async function runCli(given: string[], deps: CliDeps, io: CliIo): Promise<void> {
  const argv = expandShortForms(given);
  const help = helpFor(argv);
  if (help !== undefined) {
    io.out(help);
    return;
  }
  const command = resolveCommand(argv);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv.slice(2),
      options: { ...command.options, json: { type: "boolean" } },
      strict: true,
      allowPositionals: command.positionals === true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, command);
  }
  await command.run({
    values: parsed.values,
    positionals: parsed.positionals,
    deps,
    io,
    json: parsed.values.json === true,
  });
}
