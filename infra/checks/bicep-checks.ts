// Offline checks of infra/ that the Bicep compiler cannot make, because they compare the Bicep with the app:
// - the Function App sets every setting the config schema reads (and not the key-only ones, nor the ones Flex
//   Consumption refuses), runs a supported Node version, and carries no siteConfig property Flex Consumption rejects;
// - Cosmos and Blob containers are declared by looping over the one storage definition;
// - every subscription product of the app is an API Management product with at least one API;
// - a parameter file named after an environment deploys that environment.
// Syntax, types, module wiring and parameter files are the compiler's job (bicep-cli.ts). These checks read the
// text: comments and strings are understood, nothing else is parsed.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface Problem {
  /** Path relative to the checked root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

export interface BicepFile {
  /** Path relative to the checked root, with forward slashes. */
  path: string;
  text: string;
}

export const formatProblem = (p: Problem): string => `${p.file}:${p.line}: ${p.message}`;

/**
 * Settings of the config schema that the Function App deliberately does not set in Azure: both exist only so the
 * app can use keys against the local emulators. In Azure the app uses its managed identity instead:
 * - COSMOS_KEY: absent ⇒ DefaultAzureCredential (the Cosmos account has local auth disabled anyway);
 * - STORAGE_CONNECTION_STRING: the schema wants exactly one of it and STORAGE_BLOB_URL; Azure sets STORAGE_BLOB_URL.
 */
// PUBLIC_API_DOCS makes GET /openapi.json keyless: for local development only.
export const settingsNotSetInAzure: readonly string[] = ["COSMOS_KEY", "STORAGE_CONNECTION_STRING", "PUBLIC_API_DOCS"];

/** Settings the Functions platform needs on top of the app's own. */
export const platformSettings: readonly string[] = ["APPLICATIONINSIGHTS_CONNECTION_STRING"];

/** Node versions Azure Functions supports and the app is tested on (.ci/run runs the suite on both 20 and 22). */
export const supportedNodeVersions: readonly string[] = ["22"];

const runtimeStorageSettings = ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage"];
const settingsRefusedByFlexConsumption = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION"];
/** siteConfig properties of the other plans that ARM rejects on a Flex Consumption app (docs/deploy.md, "Sources"). */
const siteConfigRefusedByFlexConsumption = ["ftpsState", "alwaysOn", "linuxFxVersion", "use32BitWorkerProcess"];
const storageDefinitionPath = "shared/storage/storage-definition.json";
const subscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

// ---------------------------------------------------------------------------------------------------------------
// Reading Bicep text

/** The text with comments blanked out (same length, same lines) and, separately, string contents blanked too. */
export function mask(text: string): { code: string; bare: string } {
  let code = "";
  let bare = "";
  let i = 0;
  const blank = (s: string): string => s.replace(/[^\n]/g, " ");
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith("//")) {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      code += blank(text.slice(i, stop));
      bare += blank(text.slice(i, stop));
      i = stop;
    } else if (rest.startsWith("/*")) {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      code += blank(text.slice(i, stop));
      bare += blank(text.slice(i, stop));
      i = stop;
    } else if (rest.startsWith("'''")) {
      const end = text.indexOf("'''", i + 3);
      const stop = end === -1 ? text.length : end + 3;
      code += text.slice(i, stop);
      bare += `'${blank(text.slice(i + 1, stop - 1))}'`;
      i = stop;
    } else if (rest.startsWith("'")) {
      let j = i + 1;
      while (j < text.length && text[j] !== "'" && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      const stop = Math.min(j + 1, text.length);
      code += text.slice(i, stop);
      bare += `'${blank(text.slice(i + 1, stop - 1))}'`.slice(0, stop - i);
      i = stop;
    } else {
      code += text[i] ?? "";
      bare += text[i] ?? "";
      i += 1;
    }
  }
  return { code, bare };
}

/** Index just past the bracket that closes the one at `open` (brackets inside strings and comments ignored). */
function closing(bare: string, open: number): number {
  let depth = 0;
  for (let i = open; i < bare.length; i += 1) {
    const c = bare[i];
    if (c === "[" || c === "{" || c === "(") depth += 1;
    else if (c === "]" || c === "}" || c === ")") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return bare.length;
}

const lineOf = (text: string, index: number): number => text.slice(0, Math.max(index, 0)).split("\n").length;

/** The bracketed value that follows `key:` (or `name =`) first matched by `pattern`, as [start, end) of the code. */
function valueAfter(bare: string, pattern: RegExp, from = 0): { start: number; end: number } | undefined {
  const re = new RegExp(pattern.source, "g");
  re.lastIndex = from;
  const m = re.exec(bare);
  if (m === null) return undefined;
  const open = bare.slice(m.index + m[0].length).search(/[[{]/);
  if (open === -1) return undefined;
  const start = m.index + m[0].length + open;
  return { start, end: closing(bare, start) };
}

/** Resource declarations of one type: the declaration's start and its body (after `=`). */
interface Declaration {
  /** Index of the `resource` keyword. */
  at: number;
  /** Index where the body starts. */
  start: number;
  body: string;
  bareBody: string;
}

function resourcesOfType(bare: string, code: string, type: string): Declaration[] {
  const found: Declaration[] = [];
  const re = /resource\s+\w+\s+'([^']+)'(\s+existing)?\s*=/g;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    if ((m[1] ?? "").split("@")[0]?.toLowerCase() !== type.toLowerCase() || m[2] !== undefined) continue;
    const after = m.index + m[0].length;
    const open = bare.slice(after).search(/[[{]/);
    if (open === -1) continue;
    const start = after + open;
    const end = closing(bare, start);
    found.push({ at: m.index, start, body: code.slice(start, end), bareBody: bare.slice(start, end) });
  }
  return found;
}

const quoted = (s: string): string[] => [...s.matchAll(/'([^'\n]*)'/g)].map((m) => m[1] ?? "");

// ---------------------------------------------------------------------------------------------------------------
// Checks over one file (pure over its text)

export interface AppSettingsOptions {
  /** The names the app reads (shared/config/config.ts `settingNames`). */
  required: readonly string[];
  /** Names deliberately not set in Azure (see `settingsNotSetInAzure`). */
  notSetInAzure: readonly string[];
}

/**
 * The Function App (`Microsoft.Web/sites`) sets every setting the app reads in `siteConfig.appSettings`, minus the
 * key-only ones, which it must not set; plus the platform's own. On Flex Consumption (functionAppConfig) it runs a
 * supported Node version and sets nothing the plan refuses. Returns undefined when the file declares no site.
 */
export function appSettingsProblems(file: BicepFile, options: AppSettingsOptions): Problem[] | undefined {
  const { code, bare } = mask(file.text);
  const site = resourcesOfType(bare, code, "Microsoft.Web/sites")[0];
  if (site === undefined) return undefined;
  const at = (index: number, message: string): Problem => ({ file: file.path, line: lineOf(code, index), message });
  const siteAt = site.at;
  const problems: Problem[] = [];
  const settingsRange = valueAfter(site.bareBody, /\bappSettings\s*:/);
  const settings =
    settingsRange === undefined
      ? []
      : [...site.body.slice(settingsRange.start, settingsRange.end).matchAll(/\bname\s*:\s*'([^']+)'/g)].map(
          (m) => m[1] ?? "",
        );
  const names = new Set(settings);
  for (const name of options.required) {
    if (!options.notSetInAzure.includes(name) && !names.has(name)) {
      problems.push(at(siteAt, `app setting ${name} (read by shared/config/config.ts) is not set by the Function App`));
    }
  }
  for (const name of platformSettings) {
    if (!names.has(name)) problems.push(at(siteAt, `app setting ${name} is not set by the Function App`));
  }
  if (!runtimeStorageSettings.some((n) => names.has(n))) {
    problems.push(at(siteAt, `the Functions runtime storage is not set (${runtimeStorageSettings.join(" or ")})`));
  }
  for (const name of settings.filter((s) => options.notSetInAzure.includes(s))) {
    problems.push(at(siteAt, `app setting ${name} must not be set in Azure: the app uses its managed identity`));
  }
  const flexRange = valueAfter(site.bareBody, /\bfunctionAppConfig\s*:/);
  if (flexRange !== undefined) {
    const flex = site.body.slice(flexRange.start, flexRange.end);
    const runtime = /\bruntime\s*:\s*\{[^}]*\bname\s*:\s*'([^']*)'[^}]*\bversion\s*:\s*'([^']*)'/.exec(flex);
    if (runtime?.[1] !== "node" || !supportedNodeVersions.includes(runtime[2] ?? "")) {
      problems.push(
        at(
          siteAt,
          `functionAppConfig.runtime must be node ${supportedNodeVersions.join(" or ")} (Node 20 support ended)`,
        ),
      );
    }
    for (const name of settings.filter((s) => settingsRefusedByFlexConsumption.includes(s))) {
      problems.push(
        at(siteAt, `app setting ${name} is refused by Flex Consumption (runtime comes from functionAppConfig)`),
      );
    }
    for (const property of siteConfigRefusedByFlexConsumption) {
      const m = new RegExp(`\\b${property}\\s*:`).exec(site.bareBody);
      if (m !== null) {
        problems.push(at(site.start + m.index, `siteConfig.${property} is rejected by ARM on a Flex Consumption app`));
      }
    }
  }
  return problems;
}

export interface DefinitionCoverage {
  /** Resource type without API version. */
  resourceType: string;
  /** Property of storage-definition.json that lists the items, e.g. `containers`. */
  listProperty: string;
  /** Key naming an item in that list, e.g. `id`. */
  idKey: string;
  /** What to call an item in messages. */
  label: string;
}

/**
 * Resources of `coverage.resourceType` are declared by one loop over the storage definition's list, named by the
 * item's id: `for c in <var>.<list>: { name: c.<id> … }` where <var> = loadJsonContent('…storage-definition.json').
 * Returns undefined when the file declares no such resource.
 */
export function definitionCoverageProblems(file: BicepFile, coverage: DefinitionCoverage): Problem[] | undefined {
  const { code, bare } = mask(file.text);
  const declared = resourcesOfType(bare, code, coverage.resourceType);
  if (declared.length === 0) return undefined;
  const definitionVars = [...code.matchAll(/\bvar\s+(\w+)\s*=\s*loadJsonContent\(\s*'([^']+)'\s*\)/g)]
    .filter(
      (m) =>
        join(file.path, "..", m[2] ?? "")
          .split(sep)
          .join("/") === storageDefinitionPath,
    )
    .map((m) => m[1] ?? "");
  const covered = declared.some(({ body }) => {
    const loop = /^\[\s*for\s+(?:\(\s*)?(\w+)[^\]]*?\bin\s+(\w+)\.(\w+)\s*:/.exec(body);
    if (loop === null) return false;
    const [, item = "", source = "", list = ""] = loop;
    return (
      definitionVars.includes(source) &&
      list === coverage.listProperty &&
      new RegExp(`\\bname\\s*:\\s*${item}\\.${coverage.idKey}\\b`).test(body)
    );
  });
  if (covered) return [];
  return [
    {
      file: file.path,
      line: lineOf(code, declared[0]?.at ?? 0),
      message: `${coverage.label}s must be declared by a loop over loadJsonContent('${storageDefinitionPath}').${coverage.listProperty}, named by .${coverage.idKey}`,
    },
  ];
}

/**
 * API Management: every subscription product of the app is declared with at least one API, every API a product
 * names is declared, and the APIs take the key in the Ocp-Apim-Subscription-Key header.
 * Returns undefined when the file declares no API Management service.
 */
export function apimProblems(file: BicepFile, products: readonly string[]): Problem[] | undefined {
  const { code, bare } = mask(file.text);
  if (resourcesOfType(bare, code, "Microsoft.ApiManagement/service").length === 0) return undefined;
  const problems: Problem[] = [];
  const at = (index: number, message: string): Problem => ({ file: file.path, line: lineOf(code, index), message });
  const objectsOf = (pattern: RegExp): { at: number; text: string }[] => {
    const range = valueAfter(bare, pattern);
    if (range === undefined) return [];
    const objects: { at: number; text: string }[] = [];
    for (let i = range.start + 1; i < range.end; i += 1) {
      if (bare[i] === "{") {
        const end = closing(bare, i);
        objects.push({ at: i, text: code.slice(i, end) });
        i = end - 1;
      }
    }
    return objects;
  };
  const apiIds = new Set(objectsOf(/\bvar\s+apiDefinitions\s*=/).map((o) => /\bid\s*:\s*'([^']+)'/.exec(o.text)?.[1]));
  const productObjects = objectsOf(/\bvar\s+productDefinitions\s*=/);
  const declared = new Map<string, { at: number; apis: string[] }>();
  for (const o of productObjects) {
    const id = /\bid\s*:\s*'([^']+)'/.exec(o.text)?.[1];
    const apis = /\bapis\s*:\s*\[([^\]]*)\]/.exec(o.text)?.[1];
    if (id !== undefined) declared.set(id, { at: o.at, apis: quoted(apis ?? "") });
  }
  for (const product of products) {
    const p = declared.get(product);
    if (p === undefined)
      problems.push(at(0, `API Management product '${product}' is not declared in productDefinitions`));
    else if (p.apis.length === 0) problems.push(at(p.at, `API Management product '${product}' opens no API`));
  }
  for (const [id, p] of declared) {
    for (const api of p.apis.filter((a) => !apiIds.has(a))) {
      problems.push(at(p.at, `product '${id}' names API '${api}', which apiDefinitions does not declare`));
    }
  }
  for (const api of resourcesOfType(bare, code, "Microsoft.ApiManagement/service/apis")) {
    if (!new RegExp(`\\bheader\\s*:\\s*'${subscriptionKeyHeader}'`).test(api.body)) {
      problems.push(at(api.at, `APIs must take the subscription key in the ${subscriptionKeyHeader} header`));
    }
  }
  return problems;
}

/** A parameter file named after an environment (uat, prod) sets environmentName to that environment. */
export function paramFileProblems(file: BicepFile): Problem[] {
  const stem = (file.path.split("/").pop() ?? "").replace(/\.bicepparam$/, "").toUpperCase();
  if (stem !== "UAT" && stem !== "PROD") return [];
  const { code } = mask(file.text);
  const m = /^\s*param\s+environmentName\s*=\s*'([^']*)'/m.exec(code);
  if (m?.[1] === stem) return [];
  return [
    { file: file.path, line: m === null ? 1 : lineOf(code, m.index), message: `environmentName must be '${stem}'` },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The whole of infra/

export interface InfraCheckOptions {
  /** The names the app reads (shared/config/config.ts `settingNames`). */
  settingNames: readonly string[];
  /** The subscription products of the app (shared/domain/subscriptions/subscription.ts `products`). */
  products: readonly string[];
}

export function listInfraFiles(root: string): { templates: string[]; paramFiles: string[] } {
  const walk = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .flatMap((entry) => {
            const full = join(dir, entry);
            return statSync(full).isDirectory() ? walk(full) : [full];
          })
      : [];
  const all = walk(join(root, "infra")).map((abs) => relative(root, abs).split(sep).join("/"));
  return {
    templates: all.filter((f) => f.endsWith(".bicep")),
    paramFiles: all.filter((f) => f.endsWith(".bicepparam")),
  };
}

/** Runs every offline check over `<root>/infra` and returns every problem found (empty = all good). */
export function checkInfra(root: string, options: InfraCheckOptions): Problem[] {
  const { templates, paramFiles } = listInfraFiles(root);
  const read = (path: string): BicepFile => ({ path, text: readFileSync(join(root, path), "utf8") });
  const files = templates.map(read);
  const problems: Problem[] = paramFiles.map(read).flatMap(paramFileProblems);
  const missing = (what: string): Problem => ({ file: "infra", line: 1, message: `no ${what} under infra/` });

  const sites = files.map((f) =>
    appSettingsProblems(f, { required: options.settingNames, notSetInAzure: settingsNotSetInAzure }),
  );
  if (sites.every((r) => r === undefined)) problems.push(missing("Microsoft.Web/sites resource (the Function App)"));
  problems.push(...sites.flatMap((r) => r ?? []));

  const coverages: DefinitionCoverage[] = [
    {
      resourceType: "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
      listProperty: "containers",
      idKey: "id",
      label: "Cosmos container",
    },
    {
      resourceType: "Microsoft.Storage/storageAccounts/blobServices/containers",
      listProperty: "blobContainers",
      idKey: "name",
      label: "blob container",
    },
  ];
  for (const coverage of coverages) {
    const results = files.map((f) => definitionCoverageProblems(f, coverage)).filter((r) => r !== undefined);
    if (results.length === 0) problems.push(missing(`${coverage.resourceType} resource`));
    // The runtime account's deployment container is declared on its own: the definition's loop must exist once.
    else if (!results.some((r) => r.length === 0)) problems.push(...results.flat());
  }

  const apim = files.map((f) => apimProblems(f, options.products));
  if (apim.every((r) => r === undefined)) problems.push(missing("Microsoft.ApiManagement/service resource"));
  problems.push(...apim.flatMap((r) => r ?? []));
  return problems;
}
