// Runs one invocation the way the Node worker does: the library's own InvocationModel (from the ProgrammingModel the
// app set) turns RPC-shaped trigger data into handler arguments and the handler's result back into RPC data, with
// preInvocation/postInvocation hooks around the call. Request and response conversion therefore stays the library's.
import {
  getProgrammingModel,
  registeredHooks,
  type CoreInvocationContext,
  type FunctionCallback,
  type HookName,
  type RegisteredFunction,
  type RpcInvocationResponse,
  type RpcLogCategory,
  type RpcLogLevel,
  type RpcTypedData,
} from "./functions-core";

export type InvocationLog = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

export interface InvocationInput {
  readonly invocationId: string;
  readonly registration: RegisteredFunction;
  readonly triggerData: RpcTypedData;
  /** What the host knows about the trigger (a queue message's id, dequeue count, …); the library camel-cases it. */
  readonly triggerMetadata?: Record<string, RpcTypedData>;
  readonly log: InvocationLog;
  readonly appHookData: Record<string, unknown>;
}

export function triggerBinding(registration: RegisteredFunction): {
  name: string;
  type: string;
  options: Record<string, unknown>;
} {
  for (const [name, binding] of Object.entries(registration.metadata.bindings)) {
    const type = binding.type ?? "";
    if (binding.direction === "in" && type.toLowerCase().endsWith("trigger")) return { name, type, options: binding };
  }
  throw new Error(`Function "${registration.metadata.name}" has no trigger binding`);
}

async function runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
  for (const hook of registeredHooks(name)) {
    await hook(context);
  }
}

export async function invoke(input: InvocationInput): Promise<RpcInvocationResponse> {
  const { registration, invocationId } = input;
  const trigger = triggerBinding(registration);
  const coreContext: CoreInvocationContext = {
    invocationId,
    metadata: registration.metadata,
    request: {
      invocationId,
      functionId: registration.metadata.name,
      inputData: [{ name: trigger.name, data: input.triggerData }],
      triggerMetadata: input.triggerMetadata ?? {},
    },
    log: input.log,
  };
  const model = getProgrammingModel().getInvocationModel(coreContext);

  coreContext.state = "preInvocationHooks";
  const { context, inputs } = await model.getArguments();
  const hookData: Record<string, unknown> = {};
  const preContext: Record<string, unknown> = {
    hookData,
    appHookData: input.appHookData,
    invocationContext: context,
    inputs,
    functionCallback: registration.callback,
  };
  await runHooks("preInvocation", preContext);

  coreContext.state = "invocation";
  let result: unknown;
  let error: unknown;
  try {
    result = await model.invokeFunction(
      context,
      preContext.inputs as unknown[],
      preContext.functionCallback as FunctionCallback,
    );
  } catch (thrown) {
    error = thrown;
  }

  coreContext.state = "postInvocationHooks";
  const postContext: Record<string, unknown> = {
    hookData,
    appHookData: input.appHookData,
    invocationContext: context,
    inputs: preContext.inputs,
    result,
    error,
  };
  await runHooks("postInvocation", postContext);
  const failure = postContext.error;
  if (failure !== undefined && failure !== null) {
    throw failure instanceof Error ? failure : new Error("The function failed", { cause: failure });
  }
  return model.getResponse(context, postContext.result);
}
