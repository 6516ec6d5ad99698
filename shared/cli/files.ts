// The files a command-line path names: the file itself, or the files directly inside a folder (sorted, so drops
// happen in a predictable order; sub-folders are left alone).
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

export async function expandPath(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(path, e.name))
    .sort();
}
