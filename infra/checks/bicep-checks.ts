// Offline checks of infra/: no Bicep compiler can run here (LOCAL-STACK.md), so the files are parsed with
// tree-sitter-bicep and the semantic rules that matter to GPD are checked over the parse tree:
// syntax, app settings against the config schema, Cosmos/Blob containers against the storage definition,
// module and parameter-file wiring, files loaded at compile time, API Management products and key header.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import Parser from "tree-sitter";
import Bicep from "tree-sitter-bicep";

type Node = Parser.SyntaxNode;

export interface Problem {
  /** Path relative to the checked root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export interface BicepFile {
  /** Path relative to the checked root, with forward slashes. */
  path: string;
  text: string;
}

export const formatProblem = (p: Problem): string => `${p.file}:${p.line}:${p.column}: ${p.message}`;

/**
 * Settings of the config schema that the Function App deliberately does not set in Azure: both exist only so the
 * app can use keys against the local emulators. In Azure the app uses its managed identity instead:
 * - COSMOS_KEY: absent ⇒ DefaultAzureCredential (the Cosmos account has local auth disabled anyway);
 * - STORAGE_CONNECTION_STRING: the schema wants exactly one of it and STORAGE_BLOB_URL; Azure sets STORAGE_BLOB_URL.
 * Setting either in Azure is reported as a problem too.
 */
// PUBLIC_API_DOCS makes GET /openapi.json keyless: for local development only.
export const settingsNotSetInAzure: readonly string[] = ["COSMOS_KEY", "STORAGE_CONNECTION_STRING", "PUBLIC_API_DOCS"];

/** Settings the Functions platform needs on top of the app's own. */
export const platformSettings: readonly string[] = ["APPLICATIONINSIGHTS_CONNECTION_STRING"];

/** Runtime storage: by identity (AzureWebJobsStorage__accountName) or, failing that, a connection string. */
const runtimeStorageSettings = ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage"];

/** Flex Consumption takes the runtime from functionAppConfig and refuses these as app settings. */
const settingsRefusedByFlexConsumption = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION"];

const subscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

const storageDefinitionPath = "shared/storage/storage-definition.json";

const loadFunctions = ["loadJsonContent", "loadTextContent", "loadFileAsBase64", "loadYamlContent"];

// ---------------------------------------------------------------------------------------------------------------
// Parsing

let parser: Parser | undefined;

function getParser(): Parser {
  if (parser === undefined) {
    parser = new Parser();
    parser.setLanguage(Bicep as unknown as Parser.Language);
  }
  return parser;
}

/**
 * tree-sitter-bicep 1.1.0 has no rule for a .bicepparam assignment (`param name = value`): it only knows
 * `param name type [= default]`. An assignment has the exact shape of a variable declaration, so each `param`
 * keyword that starts an assignment is replaced by `var` padded to the same length: lines and columns stay true.
 */
export function asParseableParamFile(text: string): string {
  return text.replace(/^([ \t]*)param(?=[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*=)/gm, "$1var  ");
}

export function parseBicep(file: BicepFile): Node {
  const text = file.path.endsWith(".bicepparam") ? asParseableParamFile(file.text) : file.text;
  return getParser().parse(text).rootNode;
}

const at = (file: string, node: Node | undefined, message: string): Problem => ({
  file,
  line: (node?.startPosition.row ?? 0) + 1,
  column: (node?.startPosition.column ?? 0) + 1,
  message,
});

// ---------------------------------------------------------------------------------------------------------------
// Tree helpers

/** The value of a string literal without interpolation, else undefined. */
export function stringLiteral(node: Node | null | undefined): string | undefined {
  if (node?.type !== "string") return undefined;
  if (node.namedChildren.some((c) => c.type === "interpolation")) return undefined;
  return node.namedChildren.map((c) => c.text).join("");
}

const declarationName = (node: Node): string | undefined => node.namedChildren[0]?.text;

/** `resource x 'Type@version' = …`: type without the API version, and the body (object, for or if). */
function resourceParts(node: Node): { type: string; body: Node | undefined } | undefined {
  const type = stringLiteral(node.namedChildren[1]);
  if (type === undefined) return undefined;
  return { type: type.split("@")[0] ?? type, body: node.namedChildren[node.namedChildren.length - 1] };
}

function resources(root: Node, type: string): { node: Node; body: Node | undefined }[] {
  return root.namedChildren
    .filter((n) => n.type === "resource_declaration")
    .flatMap((node) => {
      const parts = resourceParts(node);
      return parts !== undefined && parts.type.toLowerCase() === type.toLowerCase() ? [{ node, body: parts.body }] : [];
    });
}

function property(object: Node | undefined, key: string): Node | undefined {
  if (object?.type !== "object") return undefined;
  for (const prop of object.namedChildren) {
    if (prop.type !== "object_property") continue;
    const keyNode = prop.namedChildren[0];
    const name = keyNode?.type === "string" ? stringLiteral(keyNode) : keyNode?.text;
    if (name === key) return prop.namedChildren[prop.namedChildren.length - 1];
  }
  return undefined;
}

const propertyPath = (object: Node | undefined, keys: readonly string[]): Node | undefined =>
  keys.reduce<Node | undefined>((node, key) => property(resolveValue(node), key), object);

function variables(root: Node): Map<string, Node> {
  const vars = new Map<string, Node>();
  for (const n of root.namedChildren) {
    if (n.type !== "variable_declaration") continue;
    const name = declarationName(n);
    const value = n.namedChildren[n.namedChildren.length - 1];
    if (name !== undefined && value !== undefined) vars.set(name, value);
  }
  return vars;
}

/** Follows identifiers to the variable they name (within the file), a few levels deep. */
function resolveValue(node: Node | undefined, depth = 0): Node | undefined {
  if (node?.type !== "identifier" || depth > 10) return node;
  let root: Node = node;
  while (root.parent !== null) root = root.parent;
  const value = variables(root).get(node.text);
  return value === undefined ? node : resolveValue(value, depth + 1);
}

/** The parts of a `for` expression: loop variable, iterated expression, body. */
function forParts(node: Node): { variable: string | undefined; iterable: Node | undefined; body: Node | undefined } {
  const body = node.childForFieldName("body") ?? undefined;
  const initializer = node.childForFieldName("initializer");
  const params = node.namedChildren.find((c) => c.type === "for_loop_parameters");
  const variable = initializer?.text ?? params?.namedChildren[0]?.text;
  const iterable = node.namedChildren.find((c) => c.id !== body?.id && c.id !== initializer?.id && c.id !== params?.id);
  return { variable, iterable, body };
}

function callName(node: Node): string | undefined {
  return node.type === "call_expression" ? node.childForFieldName("function")?.text : undefined;
}

function callArguments(node: Node): Node[] {
  return node.namedChildren.find((c) => c.type === "arguments")?.namedChildren ?? [];
}

function descendants(node: Node, type: string): Node[] {
  return node.descendantsOfType(type);
}

/** Path of a file named in a Bicep file, relative to the checked root. */
const relativeTo = (fromFile: string, target: string): string => join(dirname(fromFile), target).split(sep).join("/");

// ---------------------------------------------------------------------------------------------------------------
// Checks over one file (pure over the file's contents)

/** Every ERROR and missing node of the parse tree, with its position. */
export function syntaxProblems(file: BicepFile): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: Node): void => {
    if (node.type === "ERROR") {
      const near = node.text.split("\n")[0]?.slice(0, 40) ?? "";
      problems.push(at(file.path, node, `syntax error near \`${near}\``));
      return;
    }
    if (node.isMissing) {
      problems.push(at(file.path, node, `syntax error: missing \`${node.type}\``));
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(parseBicep(file));
  return problems;
}

interface SettingName {
  name: string;
  node: Node;
}

function settingNamesOf(value: Node | undefined, depth = 0): SettingName[] {
  const node = resolveValue(value);
  if (node === undefined || depth > 10) return [];
  if (node.type === "array") {
    return node.namedChildren.flatMap((element) => {
      const object = resolveValue(element);
      const name = stringLiteral(property(object, "name"));
      if (name !== undefined) return [{ name, node: element }];
      return settingNamesOf(element, depth + 1);
    });
  }
  const fn = callName(node);
  if (fn === "concat" || fn === "union" || fn === "flatten") {
    return callArguments(node).flatMap((arg) => settingNamesOf(arg, depth + 1));
  }
  if (node.type === "parenthesized_expression") return settingNamesOf(node.namedChildren[0], depth + 1);
  return [];
}

export interface AppSettingsOptions {
  /** The names the app reads (shared/config/config.ts `settingNames`). */
  required: readonly string[];
  /** Names deliberately not set in Azure (see `settingsNotSetInAzure`). */
  notSetInAzure: readonly string[];
}

/**
 * The Function App (a `Microsoft.Web/sites` resource) must set every setting the config schema reads, minus the
 * key-only ones, which it must not set; plus the platform's own. App settings are read from
 * `properties.siteConfig.appSettings` (an array literal, a variable holding one, or concat/union of those) and
 * from `Microsoft.Web/sites/config` resources named `appsettings`.
 */
export function appSettingsProblems(file: BicepFile, options: AppSettingsOptions): Problem[] {
  const root = parseBicep(file);
  const sites = resources(root, "Microsoft.Web/sites");
  if (sites.length === 0) return [];
  const problems: Problem[] = [];
  const settings: SettingName[] = [];
  const site = sites[0];
  const siteProperties = property(site?.body, "properties");
  const appSettingsNode = propertyPath(site?.body, ["properties", "siteConfig", "appSettings"]);
  settings.push(...settingNamesOf(appSettingsNode));
  for (const config of resources(root, "Microsoft.Web/sites/config")) {
    if (stringLiteral(property(config.body, "name")) !== "appsettings") continue;
    const props = resolveValue(property(config.body, "properties"));
    for (const prop of props?.namedChildren ?? []) {
      if (prop.type !== "object_property" || prop.namedChildren[0] === undefined) continue;
      const key = prop.namedChildren[0];
      settings.push({ name: key.type === "string" ? (stringLiteral(key) ?? key.text) : key.text, node: prop });
    }
  }
  const anchor = appSettingsNode ?? site?.node;
  const names = new Set(settings.map((s) => s.name));
  for (const name of options.required) {
    if (options.notSetInAzure.includes(name)) continue;
    if (!names.has(name)) {
      problems.push(
        at(file.path, anchor, `app setting ${name} (read by shared/config/config.ts) is not set by the Function App`),
      );
    }
  }
  for (const name of platformSettings) {
    if (!names.has(name)) problems.push(at(file.path, anchor, `app setting ${name} is not set by the Function App`));
  }
  if (!runtimeStorageSettings.some((n) => names.has(n))) {
    problems.push(
      at(file.path, anchor, `the Functions runtime storage is not set (${runtimeStorageSettings.join(" or ")})`),
    );
  }
  for (const setting of settings) {
    if (options.notSetInAzure.includes(setting.name)) {
      problems.push(
        at(
          file.path,
          setting.node,
          `app setting ${setting.name} must not be set in Azure: the app uses its managed identity`,
        ),
      );
    }
  }
  const functionAppConfig = resolveValue(property(resolveValue(siteProperties), "functionAppConfig"));
  if (functionAppConfig !== undefined) {
    const runtime = resolveValue(property(functionAppConfig, "runtime"));
    const name = stringLiteral(property(runtime, "name"));
    const version = stringLiteral(property(runtime, "version"));
    if (name !== "node" || version !== "20") {
      problems.push(at(file.path, runtime ?? functionAppConfig, "functionAppConfig.runtime must be node 20"));
    }
    for (const setting of settings.filter((s) => settingsRefusedByFlexConsumption.includes(s.name))) {
      problems.push(
        at(
          file.path,
          setting.node,
          `app setting ${setting.name} is refused by Flex Consumption (runtime comes from functionAppConfig)`,
        ),
      );
    }
  } else {
    for (const name of settingsRefusedByFlexConsumption) {
      if (!names.has(name)) problems.push(at(file.path, anchor, `app setting ${name} is not set by the Function App`));
    }
  }
  return problems;
}

export interface DefinitionCoverage {
  /** Resource type without API version, e.g. Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers. */
  resourceType: string;
  /** Property of storage-definition.json that lists the items, e.g. `containers`. */
  listProperty: string;
  /** Key naming an item in that list, e.g. `id`. */
  idKey: string;
  /** Every id the definition lists. */
  ids: readonly string[];
  /** What to call an item in messages. */
  label: string;
}

/** Whether `node` is `<loadJsonContent('…storage-definition.json')>.<listProperty>` (through variables). */
function isDefinitionList(file: BicepFile, node: Node | undefined, listProperty: string): boolean {
  const list = resolveValue(node);
  if (list?.type !== "member_expression") return false;
  if (list.childForFieldName("property")?.text !== listProperty) return false;
  const source = resolveValue(list.childForFieldName("object") ?? undefined);
  if (source === undefined || callName(source) !== "loadJsonContent") return false;
  const path = stringLiteral(callArguments(source)[0]);
  return path !== undefined && relativeTo(file.path, path) === storageDefinitionPath;
}

/**
 * A file that declares resources of `coverage.resourceType` must either loop over the storage definition's list
 * (loadJsonContent of shared/storage/storage-definition.json) or name every item of it.
 * Returns undefined when the file declares no such resource.
 */
export function definitionCoverageProblems(file: BicepFile, coverage: DefinitionCoverage): Problem[] | undefined {
  const declared = resources(parseBicep(file), coverage.resourceType);
  if (declared.length === 0) return undefined;
  const named = new Set<string>();
  for (const { body } of declared) {
    if (body?.type === "for_statement") {
      const loop = forParts(body);
      if (isDefinitionList(file, loop.iterable, coverage.listProperty)) {
        const nameNode = property(loop.body, "name");
        if (nameNode?.text === `${loop.variable ?? ""}.${coverage.idKey}`) return [];
        return [
          at(
            file.path,
            nameNode ?? body,
            `${coverage.label}s loop over the storage definition but are not named by .${coverage.idKey}`,
          ),
        ];
      }
      const items = resolveValue(loop.iterable);
      for (const item of items?.type === "array" ? items.namedChildren : []) {
        const value = resolveValue(item);
        const id =
          stringLiteral(value) ??
          stringLiteral(property(value, coverage.idKey)) ??
          stringLiteral(property(value, "name"));
        if (id !== undefined) named.add(id);
      }
    } else {
      const object = body?.type === "if_statement" ? body.namedChildren[body.namedChildren.length - 1] : body;
      for (const key of ["name", "id"]) {
        const value = stringLiteral(resolveValue(property(object, key)));
        if (value !== undefined) named.add(value.split("/").pop() ?? value);
      }
      const resourceId = stringLiteral(resolveValue(propertyPath(object, ["properties", "resource", "id"])));
      if (resourceId !== undefined) named.add(resourceId);
    }
  }
  return coverage.ids
    .filter((id) => !named.has(id))
    .map((id) =>
      at(
        file.path,
        declared[0]?.node,
        `${coverage.label} '${id}' of ${storageDefinitionPath} is not declared (loop over loadJsonContent('${storageDefinitionPath}').${coverage.listProperty} or name it)`,
      ),
    );
}

interface Declaration {
  name: string;
  required: boolean;
}

/** The parameters a .bicep file declares; required = no default value. */
export function declaredParameters(file: BicepFile): Declaration[] {
  return parseBicep(file)
    .namedChildren.filter((n) => n.type === "parameter_declaration")
    .map((n) => ({
      name: declarationName(n) ?? "",
      required: !n.children.some((c) => c.type === "="),
    }));
}

/**
 * A .bicepparam file must name an existing template in `using`, set each of its required parameters and nothing
 * it does not declare; a file named after an environment (uat, prod) must set environmentName to that environment.
 */
export function paramFileProblems(file: BicepFile, readTemplate: (path: string) => string | undefined): Problem[] {
  const root = parseBicep(file);
  const using = root.namedChildren.find((n) => n.type === "using_statement");
  if (using === undefined) return [at(file.path, root, "no `using` statement")];
  const target = stringLiteral(using.namedChildren[0]);
  if (target === undefined) return [at(file.path, using, "`using` must name a file")];
  const targetPath = relativeTo(file.path, target);
  const text = readTemplate(targetPath);
  if (text === undefined) return [at(file.path, using, `\`using\` names ${targetPath}, which does not exist`)];
  const declared = declaredParameters({ path: targetPath, text });
  const set = root.namedChildren.filter((n) => n.type === "variable_declaration");
  const setNames = new Set(set.map((n) => declarationName(n)));
  const problems: Problem[] = [];
  for (const p of declared) {
    if (p.required && !setNames.has(p.name)) {
      problems.push(at(file.path, using, `required parameter ${p.name} of ${targetPath} is not set`));
    }
  }
  for (const n of set) {
    const name = declarationName(n) ?? "";
    if (!declared.some((p) => p.name === name))
      problems.push(at(file.path, n, `${targetPath} declares no parameter ${name}`));
  }
  const stem = (file.path.split("/").pop() ?? "").replace(/\.bicepparam$/, "").toUpperCase();
  const envAssignment = set.find((n) => declarationName(n) === "environmentName");
  const env = stringLiteral(envAssignment?.namedChildren[envAssignment.namedChildren.length - 1]);
  if ((stem === "UAT" || stem === "PROD") && env !== stem) {
    problems.push(at(file.path, envAssignment ?? using, `environmentName must be '${stem}' in ${file.path}`));
  }
  return problems;
}

/**
 * Modules name existing files, pass only parameters those declare and every required one; files loaded at
 * compile time (loadJsonContent, loadTextContent, …) exist.
 */
export function referenceProblems(file: BicepFile, readFile: (path: string) => string | undefined): Problem[] {
  const root = parseBicep(file);
  const problems: Problem[] = [];
  for (const module of root.namedChildren.filter((n) => n.type === "module_declaration")) {
    const target = stringLiteral(module.namedChildren[1]);
    if (target === undefined || target.includes(":")) continue; // registry or template-spec reference
    const targetPath = relativeTo(file.path, target);
    const text = readFile(targetPath);
    if (text === undefined) {
      problems.push(
        at(file.path, module, `module ${declarationName(module) ?? ""} names ${targetPath}, which does not exist`),
      );
      continue;
    }
    const declared = declaredParameters({ path: targetPath, text });
    const body = module.namedChildren[module.namedChildren.length - 1];
    const object = body?.type === "for_statement" ? forParts(body).body : body;
    const params = resolveValue(property(object, "params"));
    const passed = (params?.namedChildren ?? []).filter((n) => n.type === "object_property");
    const passedNames = new Set(passed.map((n) => n.namedChildren[0]?.text));
    for (const p of passed) {
      const name = p.namedChildren[0]?.text ?? "";
      if (!declared.some((d) => d.name === name))
        problems.push(at(file.path, p, `${targetPath} declares no parameter ${name}`));
    }
    for (const d of declared) {
      if (d.required && !passedNames.has(d.name)) {
        problems.push(
          at(
            file.path,
            module,
            `module ${declarationName(module) ?? ""} does not pass required parameter ${d.name} of ${targetPath}`,
          ),
        );
      }
    }
  }
  for (const call of descendants(root, "call_expression")) {
    const fn = callName(call);
    if (fn === undefined || !loadFunctions.includes(fn)) continue;
    const target = stringLiteral(callArguments(call)[0]);
    if (target === undefined) continue;
    const targetPath = relativeTo(file.path, target);
    if (readFile(targetPath) === undefined)
      problems.push(at(file.path, call, `${fn} names ${targetPath}, which does not exist`));
  }
  return problems;
}

/**
 * API Management: one product per subscription product of the app, and every API takes the key in the
 * Ocp-Apim-Subscription-Key header. Returns undefined when the file declares no API Management service.
 */
export function apimProblems(file: BicepFile, products: readonly string[]): Problem[] | undefined {
  const root = parseBicep(file);
  if (resources(root, "Microsoft.ApiManagement/service").length === 0) return undefined;
  const problems: Problem[] = [];
  const declared = resources(root, "Microsoft.ApiManagement/service/products");
  const productIds = new Set<string>();
  for (const { body } of declared) {
    if (body?.type === "for_statement") {
      const loop = forParts(body);
      const nameNode = property(loop.body, "name");
      const key = nameNode?.childForFieldName("property")?.text;
      const items = resolveValue(loop.iterable);
      for (const item of items?.type === "array" ? items.namedChildren : []) {
        const value = resolveValue(item);
        const id = stringLiteral(value) ?? (key === undefined ? undefined : stringLiteral(property(value, key)));
        if (id !== undefined) productIds.add(id);
      }
    } else {
      const name = stringLiteral(property(body, "name"));
      if (name !== undefined) productIds.add(name);
    }
  }
  const anchor = declared[0]?.node ?? root;
  for (const product of products) {
    if (!productIds.has(product))
      problems.push(at(file.path, anchor, `API Management product '${product}' is not declared`));
  }
  for (const { node, body } of resources(root, "Microsoft.ApiManagement/service/apis")) {
    const object = body?.type === "for_statement" ? forParts(body).body : body;
    const header = stringLiteral(propertyPath(object, ["properties", "subscriptionKeyParameterNames", "header"]));
    if (header !== subscriptionKeyHeader) {
      problems.push(at(file.path, node, `APIs must take the subscription key in the ${subscriptionKeyHeader} header`));
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// The whole of infra/

export interface InfraCheckOptions {
  /** The names the app reads (shared/config/config.ts `settingNames`). */
  settingNames: readonly string[];
  /** The subscription products of the app (shared/domain/subscriptions/subscription.ts `products`). */
  products: readonly string[];
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry);
      return statSync(full).isDirectory() ? listFiles(full) : [full];
    });
}

interface StorageDefinition {
  containers: { id: string }[];
  blobContainers: { name: string }[];
}

/** Runs every check over `<root>/infra` and returns every problem found (empty = all good). */
export function checkInfra(root: string, options: InfraCheckOptions): Problem[] {
  const rel = (abs: string): string => relative(root, abs).split(sep).join("/");
  const readFile = (path: string): string | undefined => {
    const abs = resolve(root, path);
    return existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, "utf8") : undefined;
  };
  const all = listFiles(join(root, "infra")).map((abs) => ({ path: rel(abs), text: readFileSync(abs, "utf8") }));
  const templates = all.filter((f) => f.path.endsWith(".bicep"));
  const paramFiles = all.filter((f) => f.path.endsWith(".bicepparam"));
  const problems: Problem[] = [];
  if (templates.length === 0) return [at("infra", undefined, "no .bicep file under infra/")];

  for (const file of [...templates, ...paramFiles]) problems.push(...syntaxProblems(file));
  for (const file of templates) problems.push(...referenceProblems(file, readFile));
  for (const file of paramFiles) problems.push(...paramFileProblems(file, readFile));

  const siteFiles = templates.filter((f) => resources(parseBicep(f), "Microsoft.Web/sites").length > 0);
  if (siteFiles.length === 0)
    problems.push(at("infra", undefined, "no Microsoft.Web/sites resource (the Function App) under infra/"));
  for (const file of siteFiles) {
    problems.push(
      ...appSettingsProblems(file, { required: options.settingNames, notSetInAzure: settingsNotSetInAzure }),
    );
  }

  const definitionText = readFile(storageDefinitionPath);
  if (definitionText === undefined) {
    problems.push(at(storageDefinitionPath, undefined, "the storage definition is missing"));
  } else {
    const definition = JSON.parse(definitionText) as StorageDefinition;
    const coverages: DefinitionCoverage[] = [
      {
        resourceType: "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
        listProperty: "containers",
        idKey: "id",
        ids: definition.containers.map((c) => c.id),
        label: "Cosmos container",
      },
      {
        resourceType: "Microsoft.Storage/storageAccounts/blobServices/containers",
        listProperty: "blobContainers",
        idKey: "name",
        ids: definition.blobContainers.map((c) => c.name),
        label: "blob container",
      },
    ];
    for (const coverage of coverages) {
      const results = templates.map((f) => definitionCoverageProblems(f, coverage)).filter((r) => r !== undefined);
      if (results.length === 0) {
        problems.push(
          at(
            "infra",
            undefined,
            `no ${coverage.resourceType} resource under infra/ (${coverage.label}s of ${storageDefinitionPath})`,
          ),
        );
      } else if (!results.some((r) => r.length === 0)) {
        // Containers may be declared across files only by looping over the definition in one of them.
        problems.push(...results.flat());
      }
    }
  }

  const apimResults = templates.map((f) => apimProblems(f, options.products)).filter((r) => r !== undefined);
  if (apimResults.length === 0)
    problems.push(at("infra", undefined, "no Microsoft.ApiManagement/service resource under infra/"));
  problems.push(...apimResults.flat());
  return problems;
}
