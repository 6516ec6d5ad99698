// `npm run check:infra` (after `npm run build`): every check of bicep-checks.ts over infra/, offline.
// Prints each problem as file:line:col: message and exits 1 when there is any.
import { settingNames } from "../../shared/config/config";
import { products } from "../../shared/domain/subscriptions/subscription";
import { checkInfra, formatProblem } from "./bicep-checks";

const root = process.argv[2] ?? process.cwd();
const problems = checkInfra(root, { settingNames, products });
for (const problem of problems) console.error(formatProblem(problem));
if (problems.length > 0) {
  console.error(`infra checks: ${problems.length} problem(s)`);
  process.exitCode = 1;
} else {
  console.log("infra checks: every .bicep and .bicepparam under infra/ parses and passes the checks");
}
