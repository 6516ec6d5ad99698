// The Cosmos DB emulator of the local stack and the tests: @vercel/cosmosdb-server in-process over plain HTTP, with
// fixes to its query engine (@zeit/cosmosdb-query) applied at runtime. Why each fix exists and what it costs is in
// docs/adr/0002-cosmos-emulator-gaps.md; every fix has a test in test/local-stack/.
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { createHttpServer } from "@vercel/cosmosdb-server";

export interface CosmosEmulator {
  endpoint: string;
  close(): Promise<void>;
}

/** Plain object view of the Babel AST that the query engine generates; only the shapes we rewrite are named. */
interface JsNode {
  type: string;
  [key: string]: unknown;
}

interface OffsetLimit {
  offset: number | string;
  limit: number | string;
}

interface QueryInstance {
  ast: unknown;
  _code: string | null;
  readonly code: string;
  offsetLimit?: OffsetLimit;
}

interface QueryModule {
  default: (sql: string) => QueryInstance;
}

interface ItemsInstance {
  _data: Map<string, { read(): Record<string, unknown> }>;
  _parent: { read(): { indexingPolicy?: { compositeIndexes?: unknown[] } } | null };
  _getQuery(sql: string): { exec(docs: unknown[], options: Record<string, unknown>): unknown };
  _getPartition(doc: Record<string, unknown>): unknown;
  _userDefinedFunctions(): unknown;
  query(params: QueryParams, options: { maxItemCount?: number; continuation?: unknown }): unknown;
}

interface QueryParams {
  query: string;
  parameters?: { name: string; value: unknown }[];
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

// The emulator's dependencies are resolved from where npm put them, so the fixes hit the very module instances the
// emulator uses (a second copy would be patched in vain).
const requireHere = createRequire(__filename);
const queryModulePath = requireHere.resolve("@zeit/cosmosdb-query");
const requireFromQuery = createRequire(queryModulePath);
const requireFromServer = createRequire(requireHere.resolve("@vercel/cosmosdb-server"));

const queryModule = requireFromQuery(queryModulePath) as QueryModule;
const transformer = requireFromQuery("./transformer") as { default: (ast: unknown) => JsNode };
const generator = requireFromQuery("@babel/generator") as { default: (ast: JsNode) => { code: string } };
const helpers = requireFromQuery("./helpers") as Record<string, unknown>;
const executor = requireFromQuery("./executor") as {
  default: (docs: unknown[], options: { code: string; parameters?: QueryParams["parameters"] }) => unknown;
};
const itemsClass = (requireFromServer("./account/items") as { default: { prototype: ItemsInstance } }).default;

interface OperationInput {
  id?: string;
  partitionKey?: string;
  ifMatch?: string;
  condition?: string;
  resourceBody?: { id?: string };
}
interface OperationResult {
  statusCode: number;
  body?: unknown;
}
type StoredDocument = Record<string, unknown>;
interface CollectionHandle {
  /** read() gives null or undefined for a missing document. */
  document(id: string, partitionKey: unknown): { read(): StoredDocument | null | undefined };
  documents: {
    delete(id: string, partition: unknown): void;
    _set(data: StoredDocument): StoredDocument;
    _getPartition(data: unknown): unknown;
  };
}
type Operation = (collection: CollectionHandle, input: OperationInput) => OperationResult;

const documentOperations = requireFromServer("./handler/_document-operations") as Record<string, Operation>;
const patchOperations = requireFromServer("./handler/_patch-operations") as { patchOperation: Operation };
const { parsePartitionKey } = requireFromServer("./utils/get-partition-from-header") as {
  parsePartitionKey: (header: string | undefined, fallback: string | undefined) => unknown;
};

/** What an atomic batch changed so far: each touched document as it was before the batch (null: absent). */
interface BatchJournal {
  before: { collection: CollectionHandle; id: string; partition: unknown; document: StoredDocument | null }[];
  failed: boolean;
}

/** The current request's partition key: parsed (for query filtering) and raw (what the emulator's helpers parse). */
const requestScope = new AsyncLocalStorage<{
  partitionKey: unknown;
  partitionKeyHeader: string | undefined;
  batch?: BatchJournal | undefined;
}>();

const offsetLimitHelper = "gpdOffsetLimit";
let patched = false;

/**
 * Applies every fix to the emulator's modules, once per process (later calls do nothing):
 * 1. generated query code accumulates with push instead of `[...$, x]` (quadratic → linear);
 * 2. `OFFSET n LIMIT m` at the end of a query is cut before parsing and applied after ORDER BY;
 * 3. queries honour the request's partition key, as Cosmos does (the emulator scanned every partition);
 * 4. batch operations other than Create take the batch's partition key (SDK 4 sends it once, in the header);
 * 5. patch conditions keep the case of their string literals (the emulator lower-cased the whole condition);
 * 6. transactional batches are atomic: when an operation fails, what the earlier ones wrote is put back and they
 *    answer 424, as on Cosmos (the emulator kept them applied);
 * 7. an ORDER BY over several paths is served by a composite index declared in the same directions or in exactly the
 *    reverse ones, as on Cosmos (the emulator matched the declared directions only, so storage-definition.json would
 *    have needed a descending twin of every index, an extra index write on every Azure write).
 */
export function applyEmulatorPatches(): void {
  if (patched) return;
  patched = true;

  const originalCompile = queryModule.default;
  const queryPrototype = Object.getPrototypeOf(originalCompile("SELECT * FROM c")) as object;
  Object.defineProperty(queryPrototype, "code", {
    configurable: true,
    get(this: QueryInstance): string {
      this._code ??= generateQueryCode(this.ast, { rewriteSpreads: true, offsetLimit: this.offsetLimit });
      return this._code;
    },
  });
  queryModule.default = (sql: string): QueryInstance => {
    const { query, offsetLimit } = splitOffsetLimit(sql);
    const compiled = originalCompile(query);
    if (offsetLimit) compiled.offsetLimit = offsetLimit;
    return compiled;
  };
  helpers[offsetLimitHelper] = applyOffsetLimit;

  for (const name of ["createOperation", "readOperation", "replaceOperation", "upsertOperation", "deleteOperation"]) {
    const original = documentOperations[name];
    if (!original) throw new Error(`@vercel/cosmosdb-server has no ${name} to patch`);
    documentOperations[name] = (collection, input) => {
      const scope = requestScope.getStore();
      const withKey =
        name === "createOperation"
          ? input
          : { ...input, partitionKey: input.partitionKey ?? scope?.partitionKeyHeader };
      const journal = scope?.batch;
      if (journal === undefined) return original(collection, withKey);
      // The batch loop is synchronous, so no other request sees the store between an operation and its undo.
      remember(journal, collection, withKey, name === "createOperation");
      const result = original(collection, withKey);
      if (result.statusCode >= 400) rollBack(journal);
      return result;
    };
  }

  const originalPatch = patchOperations.patchOperation;
  patchOperations.patchOperation = (collection, input) => {
    const { condition, id } = input;
    if (condition === undefined || id === undefined) return originalPatch(collection, input);
    const current = collection.document(id, parsePartitionKey(input.partitionKey, id)).read();
    // Missing document (404) and stale ETag (412) are answered by the original, in Cosmos' order.
    if (!current || (input.ifMatch !== undefined && input.ifMatch !== current._etag))
      return originalPatch(collection, input);
    let holds: boolean;
    try {
      const result = runQueryCode(queryModule.default(`SELECT VALUE 1 ${condition}`).code, [current]);
      holds = result.length > 0;
    } catch {
      return { statusCode: 400, body: { code: "BadRequest", message: "Invalid condition in patch request." } };
    }
    if (!holds) {
      return {
        statusCode: 412,
        body: { code: "PreconditionFailed", message: "Condition specified in the patch request is not satisfied." },
      };
    }
    return originalPatch(collection, { ...input, condition: undefined });
  };

  itemsClass.prototype.query = function query(
    this: ItemsInstance,
    params: QueryParams,
    options: { maxItemCount?: number; continuation?: unknown },
  ): unknown {
    const parent = this._parent.read();
    if (!parent) return null;
    const partitionKey = requestScope.getStore()?.partitionKey;
    const docs = [...this._data.values()]
      .map((item) => item.read())
      .filter((doc) => partitionKey === undefined || this._getPartition(doc) === partitionKey);
    try {
      return this._getQuery(params.query).exec(docs, {
        parameters: params.parameters,
        udf: this._userDefinedFunctions(),
        maxItemCount: options.maxItemCount,
        continuation: options.continuation,
        compositeIndexes: bothDirections(parent.indexingPolicy?.compositeIndexes ?? []),
      });
    } catch (err) {
      // The route handler turns errors marked badRequest into 400, as the original method did.
      (err as { badRequest?: boolean }).badRequest = true;
      throw err;
    }
  };
}

interface CompositePath {
  path: string;
  order?: string;
}

/** Each composite index as declared and with every direction reversed: what Cosmos can serve an ORDER BY from. */
function bothDirections(indexes: readonly unknown[]): CompositePath[][] {
  const flip = (order: string | undefined) => (order === "descending" ? "ascending" : "descending");
  return (indexes as CompositePath[][]).flatMap((index) => [
    index.map((p) => ({ path: p.path, order: p.order ?? "ascending" })),
    index.map((p) => ({ path: p.path, order: flip(p.order) })),
  ]);
}

/** Starts the emulator on host:port (port 0 picks a free one) and resolves once it accepts connections. */
export async function startCosmosEmulator(options: { port: number; host?: string }): Promise<CosmosEmulator> {
  applyEmulatorPatches();
  const host = options.host ?? "127.0.0.1";
  // keepAlive: the emulator otherwise answers every request with "connection: close", a new TCP handshake each time.
  const server = createHttpServer({ keepAlive: true });
  // Node closes idle keep-alive sockets after 5 s; a client that reuses one at that moment gets ECONNRESET, which
  // the SDK does not retry for writes. Azure's gateway keeps idle connections for minutes: so do we.
  server.keepAliveTimeout = 300_000;
  server.headersTimeout = 301_000;
  const [original] = server.listeners("request") as RequestListener[];
  if (!original) throw new Error("@vercel/cosmosdb-server registered no request listener");
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (header(req, "x-ms-cosmos-is-query-plan-request") === "true") {
      refuseQueryPlan(res);
      return;
    }
    const partitionKeyHeader = req.headers["x-ms-documentdb-partitionkey"];
    const atomicBatch =
      header(req, "x-ms-cosmos-is-batch-request") === "true" && header(req, "x-ms-cosmos-batch-atomic") === "true";
    const scope = {
      partitionKey: queryPartitionKey(partitionKeyHeader),
      partitionKeyHeader: typeof partitionKeyHeader === "string" ? partitionKeyHeader : undefined,
      batch: atomicBatch ? { before: [], failed: false } : undefined,
    };
    if (scope.batch) answerAtomically(res, scope.batch);
    requestScope.run(scope, () => {
      original.call(server, req, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Records the document an operation is about to touch, once per batch (the first image is the one to restore). */
function remember(journal: BatchJournal, collection: CollectionHandle, input: OperationInput, isCreate: boolean): void {
  const id = isCreate ? input.resourceBody?.id : (input.id ?? input.resourceBody?.id);
  if (typeof id !== "string") return;
  const partition = isCreate
    ? collection.documents._getPartition(input.resourceBody)
    : parsePartitionKey(input.partitionKey, id);
  if (journal.before.some((b) => b.collection === collection && b.id === id && b.partition === partition)) return;
  const current = collection.document(id, partition).read();
  journal.before.push({ collection, id, partition, document: current ? { ...current } : null });
}

/** Puts every document the batch touched back as it was, last touched first. */
function rollBack(journal: BatchJournal): void {
  journal.failed = true;
  for (const { collection, id, partition, document } of journal.before.reverse()) {
    const now = collection.document(id, partition).read();
    if (now) collection.documents.delete(id, partition);
    if (document !== null) collection.documents._set(document);
  }
  journal.before = [];
}

/** Cosmos answers a failed atomic batch with 424 for every operation but the one that failed. */
function answerAtomically(res: ServerResponse, journal: BatchJournal): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    if (!journal.failed || typeof chunk !== "string") return end(chunk);
    const results = JSON.parse(chunk) as unknown;
    if (!Array.isArray(results)) return end(chunk);
    const failedIndex = results.findIndex((r: { statusCode?: number }) => (r.statusCode ?? 0) >= 400);
    return end(
      JSON.stringify(results.map((r: unknown, i) => (i === failedIndex ? r : { statusCode: 424, requestCharge: 0 }))),
    );
  }) as ServerResponse["end"];
}

// SDK 4 asks for a query plan beside every item query but only uses it when the query itself fails with
// `additionalErrorInfo`, which this emulator never sends; the emulator used to run the whole query to answer it.
// Refusing costs nothing, and if the SDK ever does need the plan it fails loudly instead of using a fake one.
function refuseQueryPlan(res: ServerResponse): void {
  res.statusCode = 400;
  res.setHeader("content-type", "application/json");
  res.setHeader("x-ms-request-charge", "0");
  res.end(JSON.stringify({ code: "BadRequest", message: "query plans are not served by the local Cosmos emulator" }));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase();
}

/** Single-value partition keys only (our containers have one path); anything else keeps the emulator's scan. */
function queryPartitionKey(raw: string | string[] | undefined): unknown {
  if (typeof raw !== "string") return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (Array.isArray(parsed) && parsed.length === 1) {
      const [value] = parsed as unknown[];
      if (["string", "number", "boolean"].includes(typeof value)) return value;
    }
  } catch {
    // A malformed header is the emulator's to reject, as before the patch.
  }
  return undefined;
}

// Cosmos requires OFFSET and LIMIT together, after ORDER BY, as the last clause; values are literals or parameters.
const offsetLimitClause = /\s+OFFSET\s+(@\w+|\d+)\s+LIMIT\s+(@\w+|\d+)\s*$/i;

/** Cuts a trailing `OFFSET x LIMIT y` off a query, which the emulator's parser rejects. */
export function splitOffsetLimit(sql: string): { query: string; offsetLimit?: OffsetLimit } {
  const match = offsetLimitClause.exec(sql);
  if (!match?.[1] || !match[2]) return { query: sql };
  const value = (token: string): number | string => (token.startsWith("@") ? token : Number(token));
  return { query: sql.slice(0, match.index), offsetLimit: { offset: value(match[1]), limit: value(match[2]) } };
}

function applyOffsetLimit(rows: unknown[], offset: unknown, limit: unknown): unknown[] {
  for (const [name, value] of [
    ["OFFSET", offset],
    ["LIMIT", limit],
  ] as const) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      // Thrown inside the query: the emulator answers 400, as Cosmos does for a bad OFFSET/LIMIT value.
      throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
  }
  return rows.slice(offset as number, (offset as number) + (limit as number));
}

/**
 * The JavaScript the query engine runs for a parsed query. `rewriteSpreads: false` gives the engine's original code,
 * which the tests run side by side with the rewritten one.
 */
export function generateQueryCode(
  ast: unknown,
  options: { rewriteSpreads: boolean; offsetLimit?: OffsetLimit | undefined },
): string {
  const jsAst = transformer.default(ast);
  if (options.rewriteSpreads) rewriteAccumulatorSpreads(jsAst);
  if (options.offsetLimit) insertOffsetLimit(jsAst, options.offsetLimit);
  return generator.default(jsAst).code;
}

/** Compiles a query as the emulator does (OFFSET/LIMIT included) and returns its generated code. */
export function compileQuery(sql: string, options: { rewriteSpreads: boolean }): string {
  applyEmulatorPatches();
  const { query, offsetLimit } = splitOffsetLimit(sql);
  const compiled = queryModule.default(query);
  return generateQueryCode(compiled.ast, { rewriteSpreads: options.rewriteSpreads, offsetLimit });
}

/** Runs generated query code over documents (which need `_rid`, as the emulator's stored documents have). */
export function runQueryCode(code: string, docs: unknown[], parameters: QueryParams["parameters"] = []): unknown[] {
  const { result } = executor.default(docs, { code, parameters }) as { result: unknown[] };
  return result;
}

function isNode(value: unknown): value is JsNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

function isIdentifier(value: unknown, name: string): boolean {
  return isNode(value) && value.type === "Identifier" && value.name === name;
}

function children(node: JsNode): JsNode[] {
  return Object.values(node).flatMap((value) =>
    Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : [],
  );
}

/** `[...$, a, ...b]` where `$` is the accumulator of `reduce(($, …) => …, [])`. */
function isAccumulatorSpread(value: unknown): value is JsNode & { elements: JsNode[] } {
  if (!isNode(value) || value.type !== "ArrayExpression" || !Array.isArray(value.elements)) return false;
  const [first] = value.elements as unknown[];
  return isNode(first) && first.type === "SpreadElement" && isIdentifier(first.argument, "$");
}

/** `($.push(a, ...b), $)`: same value, but appending no longer copies the accumulator (O(n) instead of O(n²)). */
function pushInstead(array: JsNode & { elements: JsNode[] }): JsNode {
  const accumulator = (): JsNode => ({ type: "Identifier", name: "$" });
  return {
    type: "SequenceExpression",
    expressions: [
      {
        type: "CallExpression",
        callee: {
          type: "MemberExpression",
          object: accumulator(),
          property: { type: "Identifier", name: "push" },
          computed: false,
        },
        arguments: array.elements.slice(1),
      },
      accumulator(),
    ],
  };
}

/**
 * Rewrites the accumulator spreads of `x.reduce(($, d) => [...$, …], [])` (the body, or the consequent of a
 * conditional body). Only reduces seeded with a literal `[]` are touched: that accumulator is fresh on every call,
 * so mutating it is unobservable.
 */
export function rewriteAccumulatorSpreads(root: JsNode): number {
  let rewritten = 0;
  const visit = (node: JsNode): void => {
    if (node.type === "CallExpression" && Array.isArray(node.arguments)) {
      const callee = node.callee;
      const [reducer, seed] = node.arguments as unknown[];
      const isReduce = isNode(callee) && callee.type === "MemberExpression" && isIdentifier(callee.property, "reduce");
      const seededWithEmptyArray =
        isNode(seed) && seed.type === "ArrayExpression" && Array.isArray(seed.elements) && seed.elements.length === 0;
      if (isReduce && seededWithEmptyArray && isNode(reducer) && reducer.type === "ArrowFunctionExpression") {
        const [accumulator] = reducer.params as unknown[];
        if (isIdentifier(accumulator, "$")) {
          const body = reducer.body;
          if (isAccumulatorSpread(body)) {
            reducer.body = pushInstead(body);
            rewritten += 1;
          } else if (isNode(body) && body.type === "ConditionalExpression" && isAccumulatorSpread(body.consequent)) {
            body.consequent = pushInstead(body.consequent);
            rewritten += 1;
          }
        }
      }
    }
    children(node).forEach(visit);
  };
  visit(root);
  return rewritten;
}

/** Wraps the rows handed to the outermost `$h.paginate(rows, …)`: they are sorted already, not yet paged. */
function insertOffsetLimit(root: JsNode, { offset, limit }: OffsetLimit): void {
  const valueNode = (value: number | string): JsNode =>
    typeof value === "number"
      ? { type: "NumericLiteral", value }
      : {
          type: "MemberExpression",
          object: { type: "Identifier", name: "$p" },
          property: { type: "StringLiteral", value: value.slice(1) },
          computed: true,
        };
  const queue: JsNode[] = [root];
  for (let node = queue.shift(); node; node = queue.shift()) {
    const callee = node.callee;
    if (
      node.type === "CallExpression" &&
      isNode(callee) &&
      callee.type === "MemberExpression" &&
      isIdentifier(callee.object, "$h") &&
      isIdentifier(callee.property, "paginate") &&
      Array.isArray(node.arguments)
    ) {
      const args = node.arguments as JsNode[];
      const [rows] = args;
      if (!rows) break;
      args[0] = {
        type: "CallExpression",
        callee: {
          type: "MemberExpression",
          object: { type: "Identifier", name: "$h" },
          property: { type: "Identifier", name: offsetLimitHelper },
          computed: false,
        },
        arguments: [rows, valueNode(offset), valueNode(limit)],
      };
      return;
    }
    queue.push(...children(node));
  }
  // Aggregates without paging (SELECT VALUE COUNT(1) … OFFSET) are not something the app sends.
  throw new Error("OFFSET/LIMIT is supported by the local emulator only on queries that return documents");
}
