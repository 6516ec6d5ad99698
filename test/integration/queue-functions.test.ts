// The list of queue functions that extra test hosts disable (test/support/stack.ts, queueFunctions) is the app's own:
// the app is loaded here, in this worker, as the local host loads it, and its queue-triggered registrations compared.
import { registeredFunctions } from "../../local/host/functions-core";
import { triggerBinding } from "../../local/host/invoke";
import { queueFunctions, testSettings } from "../support/stack";

test("the queue functions extra hosts disable are exactly the app's queue-triggered functions", async () => {
  Object.assign(process.env, testSettings());
  await import("../../functions/index");
  const queueTriggered = registeredFunctions()
    .filter((registration) => triggerBinding(registration).type.toLowerCase() === "queuetrigger")
    .map((registration) => registration.metadata.name);
  expect(queueTriggered.length).toBeGreaterThan(0);
  expect([...queueTriggered].sort()).toEqual([...queueFunctions].sort());
});
