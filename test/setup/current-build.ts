// The stack tests run the compiled app in the local host; this makes sure what runs is the current source. When any
// TypeScript file of the app, the local stack or the bench is newer than the last build, it builds again first, so
// `npx jest test/e2e/…` after an edit never tests the old code.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const sourceFolders = ["functions", "shared", "local", "bench"];

function newestSource(folder: string): number {
  let newest = 0;
  if (!existsSync(folder)) return newest;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json"))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds when the compiled app is missing or older than its sources; says so in one line. */
export function ensureCurrentBuild(root: string): void {
  const built = path.join(root, "dist/functions/index.js");
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(...sourceFolders.map((f) => newestSource(path.join(root, f))));
  if (builtAt >= sourcesAt) return;
  process.stdout.write("\n[local stack] the build is older than the source: npm run build… ");
  const started = Date.now();
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  process.stdout.write(`done in ${Date.now() - started} ms\n`);
}
