// Reads the one JSON document an upload ZIP must hold, refusing anything else before it costs memory: not a ZIP,
// zero or several entries, an entry that is not `.json`, or more bytes than allowed once inflated (a ZIP bomb is cut
// off while it inflates, whatever sizes its headers claim). fflate inflates in chunks, so the cap is on real output.
import { Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from "fflate";
import { DomainError } from "../../domain/errors";

const zipSignature = [0x50, 0x4b, 0x03, 0x04];

const notAZip = () => new DomainError("UPLOAD_NOT_A_ZIP", "The file is not a ZIP archive");
const invalidFile = (detail: string) => new DomainError("UPLOAD_INVALID_FILE", detail);

export function extractSingleJson(zip: Uint8Array, maxUnzippedBytes: number): Buffer {
  if (zip.length < 4 || zipSignature.some((b, i) => zip[i] !== b)) throw notAZip();
  const entries: UnzipFile[] = [];
  const unzip = new Unzip((file) => entries.push(file));
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    unzip.push(zip, true);
  } catch {
    throw notAZip();
  }
  const files = entries.filter((e) => !e.name.endsWith("/"));
  if (files.length !== 1) throw invalidFile(`The ZIP must hold exactly one .json file; it holds ${files.length}`);
  const [entry] = files as [UnzipFile];
  if (!entry.name.toLowerCase().endsWith(".json")) {
    throw invalidFile(`The ZIP must hold one .json file; it holds ${JSON.stringify(entry.name.slice(0, 100))}`);
  }
  if (entry.originalSize !== undefined && entry.originalSize > maxUnzippedBytes) throw tooLarge(maxUnzippedBytes);
  const parts: Uint8Array[] = [];
  let total = 0;
  let failure: Error | undefined;
  entry.ondata = (err, chunk, _final) => {
    if (failure !== undefined) return;
    if (err !== null) {
      failure = invalidFile(`The ZIP entry cannot be inflated: ${err.message}`);
      return;
    }
    total += chunk.length;
    if (total > maxUnzippedBytes) {
      failure = tooLarge(maxUnzippedBytes);
      entry.terminate();
      return;
    }
    parts.push(chunk);
  };
  try {
    entry.start();
  } catch (e) {
    failure ??= invalidFile(`The ZIP entry cannot be inflated: ${(e as Error).message}`);
  }
  if (failure !== undefined) throw failure;
  return Buffer.concat(parts);
}

const tooLarge = (max: number) => invalidFile(`The unzipped file is larger than ${max} bytes`);

/** The document as JSON, or a clear 400. */
export function parseJsonDocument(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (e) {
    throw new DomainError("UPLOAD_INVALID_JSON", `The file is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}
