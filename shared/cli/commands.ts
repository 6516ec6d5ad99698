// The operator CLI's commands, separate from process handling so tests run them against the real emulator.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { DomainError } from "../domain/errors";
import type { NewWebhookInput, Webhook } from "../domain/events/webhooks";
import { newOrganization, type OrganizationRepository } from "../domain/organizations/organization";
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

/** The webhook use cases the CLI offers, on behalf of an organization (as its own key would). */
export interface CliWebhooks {
  create(organizationFiscalCode: string, input: NewWebhookInput): Promise<Webhook>;
  list(organizationFiscalCode: string): Promise<Webhook[]>;
  delete(organizationFiscalCode: string, id: string): Promise<void>;
}

export interface CliDeps {
  subscriptions: SubscriptionRepository;
  organizations: OrganizationRepository;
  /** Puts a file into the receipts or flows inbox container (what the platform does in production). */
  dropIntoInbox(kind: InboxKind, name: string, bytes: Buffer): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  webhooks?: CliWebhooks;
  environment: Environment;
  clock: () => Date;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const usage = `Usage: npm run gpd -- <command>

  subscription create --name N --orgs A,B [--products ${products.join(",")}] [--segregation-codes 01,02] [--env UAT|PROD]
      Creates a key and prints it alone on the last line (shown once: only its hash is stored).
      Products default to debt-positions,receipts (reporting must be asked for explicitly).
  subscription list
  subscription revoke --name N          (takes effect within the key cache TTL, at most 60 s)
  organization upsert --fiscal-code F --name N [--iban I]... [--postal-iban P]... [--aux-digit D]
                      [--broker-code B] [--station-code S]... [--cbill C] [--fdr3 on|off]
  organization show --fiscal-code F
  inbox drop --kind receipts|flows --file F [--name N]
      Puts a receipt (paSendRTV2Request) or a reporting flow (FlussoRiversamento) into its inbox container; the
      ingestion job picks it up on its schedule, or at once with POST /admin/functions/ingestReceipts|ingestReportingFlows.
  webhook list --org F
  webhook create --org F --url U --types T1,T2 [--description D]
      Registers a webhook for the organization's events; prints its signing secret alone on the last line (shown once).
  webhook delete --org F --id ID
`;

const csv = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v.length > 0);

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`missing --${flag}`);
  return value.trim();
}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;

function parse(args: string[], options: ParseOptions) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const describeSubscription = (s: Subscription): string =>
  [
    s.name,
    s.revokedAt === undefined ? "active" : `revoked ${s.revokedAt}`,
    `env=${s.environment}`,
    `orgs=${s.organizations.join(",")}`,
    `products=${s.products.join(",")}`,
    `segregation-codes=${s.segregationCodes?.join(",") ?? "all"}`,
    `created ${s.createdAt}`,
  ].join("  ");

export async function runCli(argv: string[], deps: CliDeps, io: CliIo): Promise<void> {
  const [area, command, ...rest] = argv;
  const key = `${area ?? ""} ${command ?? ""}`;
  switch (key) {
    case "subscription create": {
      const v = parse(rest, {
        name: { type: "string" },
        orgs: { type: "string" },
        products: { type: "string" },
        "segregation-codes": { type: "string" },
        env: { type: "string" },
      });
      const requestedProducts = csv(v.products as string | undefined);
      const unknown = (requestedProducts ?? []).filter((p) => !(products as readonly string[]).includes(p));
      if (unknown.length > 0)
        throw new UsageError(`unknown product(s): ${unknown.join(", ")} (known: ${products.join(", ")})`);
      const env = (v.env as string | undefined) ?? deps.environment;
      if (!(environments as readonly string[]).includes(env))
        throw new UsageError(`--env must be UAT or PROD, got ${env}`);
      const apiKey = generateKey();
      const subscription = newSubscription({
        key: apiKey,
        name: required(v.name as string | undefined, "name"),
        organizations: csv(required(v.orgs as string | undefined, "orgs")) ?? [],
        products: requestedProducts as Product[] | undefined,
        segregationCodes: csv(v["segregation-codes"] as string | undefined),
        environment: env as Environment,
        now: deps.clock(),
      });
      await deps.subscriptions.create(subscription);
      io.out(`created subscription ${describeSubscription(subscription)}`);
      io.out("the key is shown once; store it now:");
      io.out(apiKey);
      return;
    }
    case "subscription list": {
      parse(rest, {});
      const all = await deps.subscriptions.list();
      if (all.length === 0) io.out("no subscriptions");
      for (const s of all) io.out(describeSubscription(s));
      return;
    }
    case "subscription revoke": {
      const v = parse(rest, { name: { type: "string" } });
      const revoked = await deps.subscriptions.revoke(required(v.name as string | undefined, "name"), deps.clock());
      io.out(`revoked ${describeSubscription(revoked)}`);
      io.out(
        "warm instances stop accepting it within the key cache TTL (SUBSCRIPTION_CACHE_TTL_SECONDS, at most 60 s)",
      );
      return;
    }
    case "organization upsert": {
      const v = parse(rest, {
        "fiscal-code": { type: "string" },
        name: { type: "string" },
        iban: { type: "string", multiple: true },
        "postal-iban": { type: "string", multiple: true },
        "aux-digit": { type: "string" },
        "broker-code": { type: "string" },
        "station-code": { type: "string", multiple: true },
        cbill: { type: "string" },
        fdr3: { type: "string" },
      });
      const fdr3 = v.fdr3 as string | undefined;
      if (fdr3 !== undefined && fdr3 !== "on" && fdr3 !== "off") {
        throw new DomainError("BAD_REQUEST", `--fdr3 takes on or off, not ${fdr3}`);
      }
      const organization = newOrganization({
        fiscalCode: required(v["fiscal-code"] as string | undefined, "fiscal-code"),
        companyName: required(v.name as string | undefined, "name"),
        auxDigit: v["aux-digit"] as string | undefined,
        ibans: v.iban as string[] | undefined,
        postalIbans: v["postal-iban"] as string[] | undefined,
        brokerCode: v["broker-code"] as string | undefined,
        stationCodes: v["station-code"] as string[] | undefined,
        cbill: v.cbill as string | undefined,
        fdr3Enabled: fdr3 === undefined ? undefined : fdr3 === "on",
        now: deps.clock(),
      });
      await deps.organizations.upsert(organization);
      io.out(`saved organization ${organization.fiscalCode} (${organization.companyName})`);
      return;
    }
    case "organization show": {
      const v = parse(rest, { "fiscal-code": { type: "string" } });
      const fiscalCode = required(v["fiscal-code"] as string | undefined, "fiscal-code");
      const organization = await deps.organizations.find(fiscalCode);
      if (organization === undefined) throw new DomainError("ORGANIZATION_NOT_FOUND", `No organization ${fiscalCode}.`);
      io.out(JSON.stringify(organization, null, 2));
      return;
    }
    case "inbox drop": {
      const v = parse(rest, { kind: { type: "string" }, file: { type: "string" }, name: { type: "string" } });
      const kind = required(v.kind as string | undefined, "kind");
      if (kind !== "receipts" && kind !== "flows")
        throw new UsageError(`--kind must be receipts or flows, got ${kind}`);
      const file = required(v.file as string | undefined, "file");
      const name =
        (v.name as string | undefined) ?? `${deps.clock().toISOString().replace(/[:.]/g, "-")}-${basename(file)}`;
      let bytes: Buffer;
      try {
        bytes = await deps.readFile(file);
      } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
      }
      await deps.dropIntoInbox(kind, name, bytes);
      io.out(`dropped ${file} into the ${kind} inbox as ${name}`);
      return;
    }
    case "webhook list": {
      const v = parse(rest, { org: { type: "string" } });
      const all = await webhooksOf(deps).list(organizationOf(v.org as string | undefined));
      if (all.length === 0) io.out("no webhooks");
      for (const w of all) io.out(describeWebhook(w));
      return;
    }
    case "webhook create": {
      const v = parse(rest, {
        org: { type: "string" },
        url: { type: "string" },
        types: { type: "string" },
        description: { type: "string" },
      });
      const webhook = await webhooksOf(deps).create(organizationOf(v.org as string | undefined), {
        url: required(v.url as string | undefined, "url"),
        types: csv(required(v.types as string | undefined, "types")) ?? [],
        description: v.description as string | undefined,
      });
      io.out(`created webhook ${describeWebhook(webhook)}`);
      io.out("the signing secret is shown once; store it now:");
      io.out(webhook.secret);
      return;
    }
    case "webhook delete": {
      const v = parse(rest, { org: { type: "string" }, id: { type: "string" } });
      const id = required(v.id as string | undefined, "id");
      await webhooksOf(deps).delete(organizationOf(v.org as string | undefined), id);
      io.out(`deleted webhook ${id}`);
      return;
    }
    default:
      throw new UsageError(argv.length === 0 ? "no command given" : `unknown command: ${argv.join(" ")}`);
  }
}

function webhooksOf(deps: CliDeps): CliWebhooks {
  if (deps.webhooks === undefined) throw new UsageError("webhook commands are not available here");
  return deps.webhooks;
}

const describeWebhook = (w: Webhook): string =>
  [
    w.id,
    w.status,
    w.url,
    w.types.join(","),
    ...(w.description === undefined ? [] : [JSON.stringify(w.description)]),
  ].join("  ");

function organizationOf(value: string | undefined): string {
  const org = required(value, "org");
  if (!/^\d{11}$/.test(org)) throw new UsageError(`--org must be an organization fiscal code (11 digits), got ${org}`);
  return org;
}
