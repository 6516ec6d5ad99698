// `npm run check:infra` (after `npm run build`): the official Bicep compiler over infra/ (bicep-cli.ts), then the
// offline checks of bicep-checks.ts. Prints each problem as file:line[:col]: message and exits 1 when there is any.
// Without the dotnet SDK the compile step is skipped with one line saying why, unless GPD_CI=1 (set by .ci/run):
// CI never skips it. Usage: node dist/infra/checks/run.js [root] [--offline]; --offline runs only the offline checks.
import { resolve } from "node:path";
import { settingNames } from "../../shared/config/config";
import { products } from "../../shared/domain/subscriptions/subscription";
import { compileInfra, ensureBicep, stepFailed } from "./bicep-cli";
import { checkInfra, formatProblem, listInfraFiles } from "./bicep-checks";

const args = process.argv.slice(2);
const root = args.find((a) => !a.startsWith("--")) ?? process.cwd();
const required = process.env.GPD_CI === "1";
// The restored CLI lives in the repository that holds this script (dist/infra/checks/ → three levels up).
const repository = resolve(__dirname, "../../..");
let failed = false;

const bicep: ReturnType<typeof ensureBicep> = args.includes("--offline")
  ? { available: false, reason: "--offline" }
  : ensureBicep(repository);
if (args.includes("--offline")) {
  // Only the offline checks below.
} else if (!bicep.available) {
  if (required) {
    console.error(`infra: the Bicep compile step cannot run in CI: ${bicep.reason}`);
    failed = true;
  } else {
    console.log(`infra: Bicep compile step skipped: ${bicep.reason} (CI runs it; docs/deploy.md)`);
  }
} else {
  const { templates, paramFiles } = listInfraFiles(root);
  const steps = compileInfra(root, bicep.binary);
  for (const step of steps.filter(stepFailed)) {
    failed = true;
    console.error(`${step.command}: exit ${String(step.status)}`);
    for (const d of step.diagnostics.filter((x) => x.level !== "Info")) {
      console.error(`${d.file}:${d.line}:${d.column}: ${d.level} ${d.code}: ${d.message}`);
    }
    if (step.other !== "") console.error(step.other);
  }
  if (!steps.some(stepFailed)) {
    console.log(
      `infra: bicep build, build-params (${paramFiles.length}) and lint (${templates.length} files): no error, no warning`,
    );
  }
}

const problems = checkInfra(root, { settingNames, products });
for (const problem of problems) console.error(formatProblem(problem));
if (problems.length > 0) {
  console.error(`infra checks: ${problems.length} problem(s)`);
  failed = true;
} else {
  console.log("infra checks: app settings, storage definition, API Management products and parameter files agree");
}
if (failed) process.exitCode = 1;
