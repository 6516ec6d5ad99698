// The package the Function App runs: the app compiled from functions/ and shared/ only (tsconfig.build.json),
// host.json, package.json and the lockfile, and the production dependencies. No local host, bench, test or infra
// code can reach it: they are not in the compilation, and tsc would pull them in only if the app imported them,
// which the package test would then see. Emit only (--noCheck): `npm run build` has type-checked the same files.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const packageRootFiles = ["host.json", "package.json", "package-lock.json"] as const;

function run(command: string, args: readonly string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${String(result.status)}):\n${result.stdout}${result.stderr}`,
    );
  }
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** The files of the staged app (paths relative to the stage, forward slashes), node_modules left out. */
export const appFiles = (stage: string): string[] =>
  listFiles(stage)
    .map((f) => relative(stage, f).split(sep).join("/"))
    .filter((f) => !f.startsWith("node_modules/"))
    .sort();

/**
 * Compiles the app into `stage` and copies what the host reads; with `install`, adds the production dependencies
 * (`npm ci --omit=dev`, no install scripts) and zips the stage into `<stage>.zip`, which is returned.
 */
export function stageAppPackage(root: string, stage: string, options: { install: boolean }): string | undefined {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  run(
    process.execPath,
    [
      tsc,
      "-p",
      join(root, "tsconfig.build.json"),
      "--outDir",
      join(stage, "dist"),
      "--sourceMap",
      "false",
      "--noCheck",
    ],
    root,
  );
  for (const file of packageRootFiles) copyFileSync(join(root, file), join(stage, file));
  if (!options.install) return undefined;
  run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], stage);
  const zip = `${stage}.zip`;
  rmSync(zip, { force: true });
  run("zip", ["-qr", zip, "."], stage);
  if (!existsSync(zip)) throw new Error(`zip did not write ${zip}`);
  return zip;
}
