// Helpers shared by the XML parser tests: fixtures, the reason a parse was refused for, one-substitution mutations.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XmlRejection } from "../../shared/xml/safe-xml";

export const xmlFixture = (name: string): Buffer => readFileSync(join(__dirname, "../fixtures/xml", name));

/** The error of class `kind` that `run` throws; any other outcome fails the test. */
export function rejectionOf<E extends Error>(kind: new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (e) {
    if (e instanceof kind) return e;
    throw e;
  }
  throw new Error(`expected a ${kind.name}`);
}

export const xmlReasonOf = (run: () => unknown): string => rejectionOf(XmlRejection, run).reason;

/** `base` with one literal substitution, to break exactly one thing; fails if the substitution does not apply. */
export const mutator =
  (base: string) =>
  (from: string | RegExp, to: string, xml = base): string => {
    const out = xml.replace(from, to);
    if (out === xml) throw new Error(`mutation ${String(from)} did not apply`);
    return out;
  };
