// Layering, checked on every `npm test` (npm run check:layers). See docs/adr/0001-architecture.md.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "production-imports-no-tooling",
      comment: "What ships (functions/, shared/) never depends on the local stack, the bench, the tests or infra.",
      severity: "error",
      from: { path: "^(functions|shared)/" },
      to: { path: "^(local|bench|test|infra)/" },
    },
    {
      name: "domain-is-pure",
      comment:
        "The domain owns its ports; adapters, HTTP, config, CLI, storage layout and logging depend on it, not the reverse.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { path: "^(functions/|shared/(adapters|application|http|xml|soap|cli|config|storage|logging)/)" },
    },
    {
      name: "domain-does-no-io",
      comment:
        "The domain reads no file and opens no connection: of Node's own modules only computation (crypto, net's address parsing) is allowed.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { dependencyTypes: ["core"], pathNot: "^(node:)?(crypto|net|buffer|util)$" },
    },
    {
      name: "domain-uses-no-sdk",
      comment: "No Azure SDK or other I/O package in the domain: zod and Node's own modules only.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer"], pathNot: "node_modules/zod/" },
    },
    {
      name: "application-uses-no-sdk",
      comment: "Use cases talk to ports; the SDKs stay in shared/adapters.",
      severity: "error",
      from: { path: "^shared/application/" },
      to: { path: "node_modules/@azure/" },
    },
    {
      name: "functions-do-not-import-each-other",
      comment: "A function area uses shared/ and its own files; only the composition root sees every area.",
      severity: "error",
      from: { path: "^functions/([^/]+)/" },
      // Handlers never import other handlers; an area's request schemas and response encoders may be shared.
      to: {
        path: "^functions/",
        pathNot: ["^functions/$1/", "^functions/dependencies[.]ts$", "^functions/[^/]+/(schemas|encoders)[.]ts$"],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "^(dist|coverage)/" },
  },
};
