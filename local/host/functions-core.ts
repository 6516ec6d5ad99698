// The local stand-in for `@azure/functions-core`, the module the Azure Functions Node worker provides to
// `@azure/functions` v4. The library registers every function, hook and its programming model through it; this
// version records them so the local host can serve them. It is resolvable under that name only inside the local host
// process (see installCoreModuleResolution in host.ts) or under jest (moduleNameMapper); a deployment never sees it
// because the real worker answers `require("@azure/functions-core")` itself.

export const version = "local-host";
export const hostVersion = "4.local";

export type RpcLogLevel = "trace" | "debug" | "information" | "warning" | "error" | "critical" | "none";
export type RpcLogCategory = "user" | "system" | "customMetric";

export interface RpcNullableString {
  value?: string | null;
}

export interface RpcHttpCookie {
  name?: string | null;
  value?: string | null;
  domain?: RpcNullableString | null;
  path?: RpcNullableString | null;
  expires?: { value?: { seconds?: number | null } | null } | null;
  secure?: { value?: boolean | null } | null;
  httpOnly?: { value?: boolean | null } | null;
  sameSite?: "none" | "lax" | "strict" | "explicitNone" | null;
  maxAge?: { value?: number | null } | null;
}

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedData | null;
  params?: Record<string, string> | null;
  statusCode?: string | null;
  query?: Record<string, string> | null;
  cookies?: RpcHttpCookie[] | null;
  enableContentNegotiation?: boolean | null;
}

export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
}

export interface RpcParameterBinding {
  name?: string | null;
  data?: RpcTypedData | null;
}

export interface RpcBindingInfo {
  type?: string | null;
  direction?: "in" | "out" | "inout" | null;
  // Trigger options (route, methods, schedule, runOnStartup, ...) travel as extra properties, as in function.json.
  [option: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  [other: string]: unknown;
}

export interface RpcInvocationRequest {
  invocationId: string;
  functionId: string;
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedData>;
}

export interface RpcInvocationResponse {
  invocationId?: string | null;
  outputData?: RpcParameterBinding[] | null;
  returnValue?: RpcTypedData | null;
}

export type InvocationState = "preInvocationHooks" | "postInvocationHooks" | "invocation";

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: FunctionMetadata;
  state?: InvocationState;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface InvocationArguments {
  context: unknown;
  inputs: unknown[];
}

export interface InvocationModel {
  getArguments(): Promise<InvocationArguments>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type HookName = "appStart" | "appTerminate" | "preInvocation" | "postInvocation" | "log";
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface RegisteredFunction {
  readonly metadata: FunctionMetadata;
  readonly callback: FunctionCallback;
}

export type SystemLogSink = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

export class Disposable {
  #onDispose: (() => void) | undefined;

  constructor(onDispose: () => void) {
    this.#onDispose = onDispose;
  }

  dispose(): void {
    const onDispose = this.#onDispose;
    this.#onDispose = undefined;
    onDispose?.();
  }
}

const hookNames: readonly HookName[] = ["appStart", "appTerminate", "preInvocation", "postInvocation", "log"];

let programmingModel: ProgrammingModel | undefined;
const functions = new Map<string, RegisteredFunction>();
const hooks = new Map<HookName, HookCallback[]>(hookNames.map((name) => [name, []]));
let systemLogSink: SystemLogSink | undefined;

export function setProgrammingModel(model: ProgrammingModel): void {
  programmingModel = model;
}

export function getProgrammingModel(): ProgrammingModel {
  if (!programmingModel) {
    throw new Error("No programming model was set: the app did not register through @azure/functions");
  }
  return programmingModel;
}

export function registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
  const key = metadata.name.toLowerCase();
  // The worker refuses duplicates too; function names are case-insensitive for the host.
  if (functions.has(key)) {
    throw new Error(`A function with name "${metadata.name}" has already been registered.`);
  }
  const registration: RegisteredFunction = { metadata, callback };
  functions.set(key, registration);
  return new Disposable(() => {
    if (functions.get(key) === registration) functions.delete(key);
  });
}

function isHookName(name: string): name is HookName {
  return (hookNames as readonly string[]).includes(name);
}

export function registerHook(hookName: string, callback: HookCallback): Disposable {
  // The library turns a RangeError into "requires a newer host" for log hooks, so unknown names raise that type.
  if (!isHookName(hookName)) throw new RangeError(`Unrecognized hook "${hookName}"`);
  const callbacks = hooks.get(hookName) ?? [];
  callbacks.push(callback);
  hooks.set(hookName, callbacks);
  return new Disposable(() => {
    const index = callbacks.indexOf(callback);
    if (index >= 0) callbacks.splice(index, 1);
  });
}

export function log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
  if (systemLogSink) {
    systemLogSink(level, category, message);
  } else {
    const write = level === "error" || level === "critical" || level === "warning" ? console.error : console.log;
    write(`${new Date().toISOString()} [${level}] (${category}) ${message}`);
  }
}

// --- Host side: not part of the worker's API, used by the local host to read what the app registered. ---

export function registeredFunctions(): readonly RegisteredFunction[] {
  return [...functions.values()];
}

export function registeredHooks(name: HookName): readonly HookCallback[] {
  return [...(hooks.get(name) ?? [])];
}

export function hasProgrammingModel(): boolean {
  return programmingModel !== undefined;
}

export function setSystemLogSink(sink: SystemLogSink | undefined): void {
  systemLogSink = sink;
}
