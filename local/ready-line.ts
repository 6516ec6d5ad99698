// What `npm start` prints once every port is bound: where GPD and its API docs are, and the first commands to run, in
// an order that works on this data: the sample organization is registered first when it is not yet (the CLI refuses
// a key naming an unregistered organization unless forced), and a key named `dev` is suggested only while no key has
// that name (names are unique). The same organization and IBAN as README.md's "First calls".
export const sampleOrganization = "77777777777";
const sampleIban = "IT60X0542811101000000123456";

export interface StackState {
  sampleOrganizationRegistered: boolean;
  devKeyExists: boolean;
}

export function readyMessage(url: string, elapsedMs: number, state: StackState): string {
  const steps = [
    ...(state.sampleOrganizationRegistered
      ? []
      : [
          `npm run gpd -- organization upsert --fiscal-code ${sampleOrganization} --name "Comune di Prova" --iban ${sampleIban}`,
        ]),
    state.devKeyExists
      ? `npm run gpd -- subscription create --name dev-2 --orgs ${sampleOrganization}   # "dev" exists; a key is shown once`
      : `npm run gpd -- subscription create --name dev --orgs ${sampleOrganization}`,
  ];
  return [
    `GPD is up on ${url}, API docs on ${url}/docs (${elapsedMs} ms). First calls (README.md), a key for the sample organization:`,
    ...steps.map((step) => `  ${step}`),
  ].join("\n");
}
