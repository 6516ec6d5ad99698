// The one place that reads settings. Every name here is a key of local.settings.sample.json (and an app
// setting of infra/); nothing else in the code touches process.env.
import { Cron } from "croner";
import { z } from "zod";
import packageJson from "../../package.json";
import { defaultRetrySchedule, parseRetrySchedule } from "../domain/events/webhooks";
import { environments } from "../domain/subscriptions/subscription";

/** Empty strings in local.settings.json mean "not set", as they do for app settings in Azure. */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const integer = (fallback: number, min: number, max: number) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `expected a whole number from ${min} to ${max}, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

/** NCRONTAB: six fields, seconds first (the Functions host's timer syntax). */
const ncrontab = (fallback: string) =>
  optionalString.transform((v, ctx) => {
    const value = v ?? fallback;
    if (value.split(/\s+/).length !== 6) {
      ctx.addIssue({ code: "custom", message: `expected an NCRONTAB expression with 6 fields, got "${value}"` });
      return z.NEVER;
    }
    try {
      new Cron(value, { mode: "6-part", paused: true });
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `invalid NCRONTAB expression "${value}": ${(err as Error).message}` });
      return z.NEVER;
    }
    return value;
  });

/** WEBHOOK_RETRY_SCHEDULE: pauses after each failed delivery attempt, e.g. "5s,30s,2m,1h". */
const retrySchedule = optionalString.transform((v, ctx) => {
  const value = v ?? defaultRetrySchedule;
  const parsed = parseRetrySchedule(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: `expected pauses like "5s,30s,2m,1h,1d" (1 to 50), got "${value}"` });
    return z.NEVER;
  }
  return parsed;
});

const flag = optionalString.pipe(z.enum(["true", "false"]).optional()).transform((v) => v === "true");

export const settingsSchema = z
  .object({
    GPD_ENVIRONMENT: z.enum(environments),
    COSMOS_ENDPOINT: z.url(),
    COSMOS_KEY: optionalString,
    COSMOS_DATABASE: optionalString.transform((v) => v ?? "gpd"),
    STORAGE_CONNECTION_STRING: optionalString,
    STORAGE_BLOB_URL: optionalString.pipe(z.url().optional()),
    STORAGE_QUEUE_URL: optionalString.pipe(z.url().optional()),
    SUBSCRIPTION_CACHE_TTL_SECONDS: integer(30, 0, 60),
    TAXONOMY_CATALOGUE_PATH: optionalString,
    MAX_BODY_BYTES: integer(1024 * 1024, 1024, 100 * 1024 * 1024),
    UPLOAD_MAX_ZIP_BYTES: integer(50 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    // Timer schedules: the host reads them (%NAME% in functions/index.ts); checked here so a bad one refuses to start.
    VALIDATE_DEBT_POSITIONS_SCHEDULE: ncrontab("0 */15 * * * *"),
    EXPIRE_DEBT_POSITIONS_SCHEDULE: ncrontab("0 */15 * * * *"),
    INGEST_RECEIPTS_SCHEDULE: ncrontab("0 * * * * *"),
    INGEST_REPORTING_FLOWS_SCHEDULE: ncrontab("0 */5 * * * *"),
    JOB_BATCH_SIZE: integer(100, 1, 1000),
    // Bulk creates left uncommitted by a crash (docs/adr/0015-crash-safe-bulk-create.md).
    RECOVER_BULK_CREATES_SCHEDULE: ncrontab("0 */5 * * * *"),
    BULK_STALE_AFTER_SECONDS: integer(300, 1, 86_400),
    // Uploads whose chunk messages were never all queued (docs/adr/0050-massive-upload.md).
    FINISH_STALLED_UPLOADS_SCHEDULE: ncrontab("0 7 * * * *"),
    // Store outages answer 503 within a bounded time (docs/adr/0016-store-outages-and-ambiguous-writes.md).
    COSMOS_REQUEST_TIMEOUT_MS: integer(4000, 500, 60_000),
    HTTP_REQUEST_DEADLINE_MS: integer(10_000, 1000, 230_000),
    FDR3_BASE_URL: optionalString.pipe(z.url().optional()),
    FDR3_SUBSCRIPTION_KEY: optionalString,
    INGEST_FDR3_SCHEDULE: ncrontab("0 */15 * * * *"),
    INGEST_STATEMENTS_SCHEDULE: ncrontab("0 */15 * * * *"),
    RECONCILIATION_GRACE_BUSINESS_DAYS: integer(2, 0, 30),
    // Payment notices: a batch's size limit and the lifetime of a download link.
    NOTICE_BATCH_MAX_POSITIONS: integer(10000, 1, 100000),
    NOTICE_LINK_MINUTES: integer(60, 1, 1440),
    EVENTS_DISPATCH_SCHEDULE: ncrontab("*/5 * * * * *"),
    WEBHOOK_RETRY_SCHEDULE: retrySchedule,
    WEBHOOK_ALLOW_LOCALHOST: flag,
    LOG_LEVEL: optionalString.pipe(z.enum(["debug", "info", "warn", "error"]).optional()).transform((v) => v ?? "info"),
    /** "json": one JSON object per log line (set in Azure, so Application Insights gets the fields). */
    LOG_FORMAT: optionalString.pipe(z.enum(["text", "json"]).optional()).transform((v) => v ?? "text"),
    /** "true" only in local.settings.sample.json: GET /openapi.json answers without a key. Never set in Azure. */
    PUBLIC_API_DOCS: optionalString.pipe(z.enum(["true", "false"]).optional()).transform((v) => v === "true"),
  })
  .superRefine((s, ctx) => {
    const storageSettings = [s.STORAGE_CONNECTION_STRING, s.STORAGE_BLOB_URL].filter((v) => v !== undefined);
    if (storageSettings.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["STORAGE_CONNECTION_STRING"],
        message: "set exactly one of STORAGE_CONNECTION_STRING (keys, local) or STORAGE_BLOB_URL (managed identity)",
      });
    }
  })
  .transform((s) => ({
    app: { name: packageJson.name, version: packageJson.version },
    environment: s.GPD_ENVIRONMENT,
    cosmos: {
      endpoint: s.COSMOS_ENDPOINT,
      key: s.COSMOS_KEY,
      database: s.COSMOS_DATABASE,
      requestTimeoutMs: s.COSMOS_REQUEST_TIMEOUT_MS,
    },
    storage: {
      connectionString: s.STORAGE_CONNECTION_STRING,
      blobUrl: s.STORAGE_BLOB_URL,
      // The data account's queue endpoint: given, or the blob endpoint's sibling (.blob. becomes .queue.).
      queueUrl: s.STORAGE_QUEUE_URL ?? s.STORAGE_BLOB_URL?.replace(".blob.", ".queue."),
    },
    auth: { cacheTtlSeconds: s.SUBSCRIPTION_CACHE_TTL_SECONDS },
    http: {
      maxBodyBytes: s.MAX_BODY_BYTES,
      publicApiDocs: s.PUBLIC_API_DOCS,
      deadlineMs: s.HTTP_REQUEST_DEADLINE_MS,
    },
    upload: { maxZipBytes: s.UPLOAD_MAX_ZIP_BYTES },
    taxonomy: { cataloguePath: s.TAXONOMY_CATALOGUE_PATH },
    jobs: {
      batchSize: s.JOB_BATCH_SIZE,
      bulkStaleAfterSeconds: s.BULK_STALE_AFTER_SECONDS,
    },
    fdr3: { baseUrl: s.FDR3_BASE_URL, subscriptionKey: s.FDR3_SUBSCRIPTION_KEY },
    reconciliation: { graceBusinessDays: s.RECONCILIATION_GRACE_BUSINESS_DAYS },
    notices: { maxPositions: s.NOTICE_BATCH_MAX_POSITIONS, linkMinutes: s.NOTICE_LINK_MINUTES },
    events: {
      retrySchedule: s.WEBHOOK_RETRY_SCHEDULE,
      // http://localhost receivers: local runs only; Azure refuses them (docs/adr/0043).
      allowLocalhost: s.WEBHOOK_ALLOW_LOCALHOST,
    },
    logLevel: s.LOG_LEVEL,
    logFormat: s.LOG_FORMAT,
  }));

export type Config = z.output<typeof settingsSchema>;

/** Names of every setting the app reads: the Bicep checks compare them with the Function App's app settings. */
export const settingNames = Object.keys(settingsSchema.in.shape) as (keyof z.input<typeof settingsSchema>)[];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the whole environment at once and reports every problem, so a bad deployment fails on its first start. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "(settings)"}: ${i.message}`));
  }
  return parsed.data;
}
