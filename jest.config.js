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
// `stack`: everything that needs the emulators or the local host, started once per run by the global setup.
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
      displayName: "stack",
      roots: ["<rootDir>/test"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/unit/"],
      globalSetup: "<rootDir>/test/setup/global-setup.ts",
      globalTeardown: "<rootDir>/test/setup/global-teardown.ts",
    },
  ],
};
