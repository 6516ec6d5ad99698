/** @type {import('jest').Config} */
const base = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } },
    ],
  },
  moduleNameMapper: { "^@azure/functions-core$": "<rootDir>/local/host/functions-core.ts" },
};

// `unit`: pure code, no I/O and no global setup (`npm run test:unit` is the inner loop).
// `integration`: storage, queues, the CLI, the local host's own machinery and the infra checks, against the emulators.
// `e2e`: the app over real HTTP through the local host (the API, its contracts, SOAP, fuzzing).
// Both stack projects name the same global setup: jest runs it once per run (only when a selected test needs it), and
// it rebuilds dist/ first when the sources are newer (test/setup/current-build.ts), so e2e tests the current code.
const stack = {
  globalSetup: "<rootDir>/test/setup/global-setup.ts",
  globalTeardown: "<rootDir>/test/setup/global-teardown.ts",
};
const e2eRoots = ["<rootDir>/test/e2e", "<rootDir>/test/contract", "<rootDir>/test/fuzz"];

module.exports = {
  testTimeout: 30000,
  maxWorkers: 2,
  // How long a worker may take to exit once its tests are done before jest kills it and reports "A worker process has
  // failed to exit gracefully". Our workers reach their exit within milliseconds with no handle left open (measured
  // with a handle dump at the end message), but freeing a worker's heap (100-130 MB after the XML and hostile-input
  // suites) took longer than jest's default 500 ms on a loaded 2-core machine. A real leak still keeps the process
  // alive past this and is still reported.
  workerGracefulExitTimeout: 5000,
  projects: [
    { ...base, displayName: "unit", roots: ["<rootDir>/test/unit"] },
    {
      ...base,
      ...stack,
      displayName: "integration",
      roots: ["<rootDir>/test"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/unit/", ...e2eRoots.map((r) => `${r}/`)],
    },
    { ...base, ...stack, displayName: "e2e", roots: e2eRoots },
  ],
};
