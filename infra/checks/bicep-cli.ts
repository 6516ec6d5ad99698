// The official Bicep CLI, restored through the dotnet SDK from NuGet at one pinned version (no other download):
// package Azure.Bicep.CommandLine.linux-x64 carries a self-contained `bicep` binary under tools/. The restore goes
// to .tools/bicep (git-ignored) and is reused while the binary is there. Why the compiler and not a parser of our
// own: docs/adr/0030-deployment-checked-by-the-bicep-compiler.md.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const bicepPackage = "Azure.Bicep.CommandLine.linux-x64";
export const bicepVersion = "0.49.2";

export type BicepAvailability = { available: true; binary: string } | { available: false; reason: string };

const toolsDir = (root: string): string => join(root, ".tools", "bicep");

export const bicepBinaryPath = (root: string): string =>
  join(toolsDir(root), "packages", bicepPackage.toLowerCase(), bicepVersion, "tools", "bicep");

function dotnetVersion(): string | undefined {
  const probe = spawnSync("dotnet", ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Restores the pinned Bicep CLI unless it is already there; says why when it cannot. */
export function ensureBicep(root: string): BicepAvailability {
  const binary = bicepBinaryPath(root);
  if (existsSync(binary)) return { available: true, binary };
  if (process.platform !== "linux" || process.arch !== "x64") {
    return {
      available: false,
      reason: `the pinned Bicep CLI package is for linux-x64, this is ${process.platform}-${process.arch}`,
    };
  }
  const dotnet = dotnetVersion();
  if (dotnet === undefined)
    return { available: false, reason: "the dotnet SDK is not installed (no `dotnet` on PATH)" };
  const dir = toolsDir(root);
  mkdirSync(dir, { recursive: true });
  // PackageDownload fetches the package without referencing it: nothing is built, only the restore runs.
  // The SDK's own target framework: no targeting pack to fetch for a restore that builds nothing.
  const framework = `net${dotnet.split(".")[0] ?? "8"}.0`;
  const project = join(dir, "restore-bicep.csproj");
  writeFileSync(
    project,
    [
      '<Project Sdk="Microsoft.NET.Sdk">',
      `  <PropertyGroup><TargetFramework>${framework}</TargetFramework></PropertyGroup>`,
      `  <ItemGroup><PackageDownload Include="${bicepPackage}" Version="[${bicepVersion}]" /></ItemGroup>`,
      "</Project>",
      "",
    ].join("\n"),
  );
  const restore = spawnSync("dotnet", ["restore", project, "--packages", join(dir, "packages"), "--nologo"], {
    encoding: "utf8",
  });
  if (restore.status !== 0 || !existsSync(binary)) {
    const output = `${restore.stdout}${restore.stderr}`.trim().split("\n").slice(-5).join("\n");
    throw new Error(`dotnet ${dotnet} could not restore ${bicepPackage} ${bicepVersion}:\n${output}`);
  }
  // NuGet does not keep the executable bit.
  chmodSync(binary, 0o755);
  return { available: true, binary };
}

export interface BicepDiagnostic {
  /** Path relative to the repository root, forward slashes. */
  file: string;
  line: number;
  column: number;
  level: "Error" | "Warning" | "Info";
  code: string;
  message: string;
}

const diagnosticLine = /^(.+)\((\d+),(\d+)\) : (Error|Warning|Info) ([^:]+): (.*)$/;

export function parseDiagnostics(root: string, output: string): BicepDiagnostic[] {
  return output.split("\n").flatMap((line) => {
    const m = diagnosticLine.exec(line.trim());
    if (m === null) return [];
    const [, file = "", lineNo = "0", column = "0", level = "Error", code = "", message = ""] = m;
    return [
      {
        file: relative(root, file).split(sep).join("/"),
        line: Number(lineNo),
        column: Number(column),
        level: level as BicepDiagnostic["level"],
        code,
        message,
      },
    ];
  });
}

export interface BicepStep {
  command: string;
  status: number | null;
  diagnostics: BicepDiagnostic[];
  /** Output that is not a diagnostic line (a crash, a usage error). */
  other: string;
}

export function runBicep(root: string, binary: string, args: readonly string[]): BicepStep {
  const run = spawnSync(binary, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const output = `${run.stderr}\n${args.includes("--stdout") ? "" : run.stdout}`;
  const diagnostics = parseDiagnostics(root, output);
  const other = output
    .split("\n")
    .filter((l) => l.trim() !== "" && !diagnosticLine.test(l.trim()))
    .join("\n");
  return { command: `bicep ${args.join(" ")}`, status: run.status, diagnostics, other };
}

/**
 * Every step the check runs, three processes (the CLI takes seconds to start): build of main.bicep (the modules
 * compile with it), build-params of every parameter file, lint of every .bicep file under infra/
 * (infra/bicepconfig.json raises every linter rule to error).
 */
export function compileInfra(root: string, binary: string): BicepStep[] {
  return [
    runBicep(root, binary, ["build", "infra/main.bicep", "--stdout"]),
    runBicep(root, binary, ["build-params", "--pattern", "infra/**/*.bicepparam", "--outdir", ".tools/bicep/out"]),
    runBicep(root, binary, ["lint", "--pattern", "infra/**/*.bicep"]),
  ];
}

/** A step fails on a non-zero exit, on any Error and on any Warning: compiler warnings (BCPxxx) count as errors too. */
export const stepFailed = (step: BicepStep): boolean =>
  step.status !== 0 || step.diagnostics.some((d) => d.level !== "Info");
