// Start-up refusals that must read as one clear line: a route the local host does not support.
import path from "node:path";
import { HostStartError, startHost } from "../../local/host/host";
import { fixtureHostJson } from "./fixture-host";

test("a route outside the supported grammar stops start-up, naming the function and what is supported", async () => {
  const starting = startHost({
    port: 0,
    appMain: path.join(__dirname, "fixtures", "unsupported-route-app.ts"),
    hostJsonPath: fixtureHostJson,
    log: () => undefined,
  });
  await expect(starting).rejects.toThrow(HostStartError);
  await expect(starting).rejects.toThrow(
    /Function 'constrained': Route "items\/\{id:int\}" uses "\{id:int\}": the local host supports literal segments/,
  );
});
