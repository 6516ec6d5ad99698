// Streaming, hostile-input-safe XML reading for documents that may be large (reporting flows of tens of thousands of
// entries, bank statements). It refuses exactly what safe-xml.ts refuses — too large, not UTF-8, any DTD or entity
// declaration, processing instructions, nesting deeper than the cap, anything not well-formed — but never builds the
// whole tree: the caller names the repeated elements (children of the root, e.g. datiSingoliPagamenti) that are
// handed over one at a time as soon as they close and then dropped, so memory stays in the order of one such element
// plus what the caller keeps. The input is fed to the parser in slices and the event loop is given back between
// slices, so a 20 MiB document never holds the process for more than a few milliseconds at a time
// (docs/adr/0035-fdr3-revisions.md, "Big flows").
import { SaxesParser, type SaxesTagNS } from "saxes";
import { XmlRejection, type XmlElement } from "./safe-xml";

export interface StreamingXmlOptions {
  maxBytes: number;
  /** Deepest element nesting accepted (the root is depth 1). */
  maxDepth?: number;
  /** Bytes parsed between two yields to the event loop (default 16 KiB: a few milliseconds of work). */
  sliceBytes?: number;
  /** Local names of the elements that are handed to `onChild` one by one instead of being kept in the tree. */
  streamed: ReadonlySet<string>;
  /** The depth at which those elements are streamed (default 2: the root's children). */
  streamDepth?: number;
  /**
   * Called once per streamed element, in document order, with its open ancestors (root first; their children so far
   * are the elements that precede it). Whatever it throws stops the parse and is rethrown as is.
   */
  onChild: (child: XmlElement, index: number, ancestors: readonly XmlElement[]) => void;
}

/**
 * The root with its children, where every streamed child is replaced by an empty placeholder of the same name and
 * namespace (so content-model checks still see the order of the children).
 */
export interface StreamedDocument {
  readonly root: XmlElement;
  readonly streamedCount: number;
}

const DEFAULT_SLICE = 16 * 1024;

interface Building {
  name: string;
  namespace: string | undefined;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Marks errors raised by our own handlers, so they are not mistaken for the parser's well-formedness errors. */
class Passthrough extends Error {
  constructor(readonly error: unknown) {
    super("passthrough");
  }
}

export async function parseXmlStreaming(input: Buffer, opts: StreamingXmlOptions): Promise<StreamedDocument> {
  const maxDepth = opts.maxDepth ?? 64;
  const streamDepth = opts.streamDepth ?? 2;
  if (input.byteLength > opts.maxBytes) {
    throw new XmlRejection(
      "too-large",
      `Document of ${input.byteLength} bytes or more exceeds the limit of ${opts.maxBytes} bytes`,
    );
  }
  const [b0, b1] = [input[0], input[1]];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || b0 === 0x00 || (b0 === 0x3c && b1 === 0x00)) {
    throw new XmlRejection("unsupported-encoding", "Only UTF-8 documents are accepted (found UTF-16 or UTF-32)");
  }

  const parser = new SaxesParser({ xmlns: true, position: true, defaultXMLVersion: "1.0", forceXMLVersion: true });
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let streamedCount = 0;
  const fail = (e: unknown): never => {
    throw new Passthrough(e);
  };

  parser.on("xmldecl", (decl) => {
    if (decl.version !== undefined && decl.version !== "1.0") {
      fail(new XmlRejection("malformed", "Invalid XML declaration (only version 1.0 is accepted)"));
    }
    if (decl.encoding !== undefined && decl.encoding.toUpperCase() !== "UTF-8") {
      fail(new XmlRejection("unsupported-encoding", `Only UTF-8 documents are accepted (declared ${decl.encoding})`));
    }
  });
  parser.on("doctype", () => {
    fail(
      new XmlRejection(
        "dtd-forbidden",
        `Document type declarations are not accepted (found at offset ${parser.position})`,
      ),
    );
  });
  parser.on("processinginstruction", () => {
    fail(
      new XmlRejection("pi-forbidden", `Processing instructions are not accepted (found at offset ${parser.position})`),
    );
  });
  parser.on("opentag", (tag: SaxesTagNS) => {
    if (stack.length + 1 > maxDepth) {
      fail(new XmlRejection("too-deep", `Elements nested deeper than ${maxDepth} levels (offset ${parser.position})`));
    }
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === "xmlns" || (a.prefix === "" && a.local === "xmlns")) continue;
      attributes[a.local] = a.value;
    }
    stack.push({
      name: tag.local,
      namespace: tag.uri === "" ? undefined : tag.uri,
      attributes,
      children: [],
      text: "",
    });
  });
  parser.on("text", (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on("cdata", (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on("closetag", () => {
    const done = stack.pop();
    if (done === undefined) return;
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      root = done;
      return;
    }
    if (stack.length === streamDepth - 1 && opts.streamed.has(done.name)) {
      try {
        opts.onChild(done, streamedCount, stack);
      } catch (e) {
        fail(e);
      }
      streamedCount += 1;
      parent.children.push({ name: done.name, namespace: done.namespace, attributes: {}, children: [], text: "" });
      return;
    }
    parent.children.push(done);
  });

  // Decoding slice by slice keeps a multi-byte character split across two slices intact, and fails on bad UTF-8.
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const slice = opts.sliceBytes ?? DEFAULT_SLICE;
  let tail = "";
  try {
    for (let offset = 0; offset < input.byteLength; offset += slice) {
      let text: string;
      try {
        text = decoder.decode(input.subarray(offset, offset + slice), { stream: true });
      } catch {
        throw new XmlRejection("unsupported-encoding", "Document is not valid UTF-8");
      }
      // The cheap refusal first, as safe-xml does: a declaration is refused before the parser ever sees its body.
      const window = tail + text;
      const dtd = /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.exec(window);
      if (dtd) {
        throw new XmlRejection(
          "dtd-forbidden",
          `Document type declarations are not accepted (found near offset ${offset - tail.length + dtd.index})`,
        );
      }
      tail = window.slice(-16);
      parser.write(text);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    parser.close();
  } catch (e) {
    if (e instanceof Passthrough) throw e.error;
    if (e instanceof XmlRejection) throw e;
    throw new XmlRejection("malformed", e instanceof Error ? e.message.slice(0, 300) : "Unparsable XML");
  }
  if (root === undefined) throw new XmlRejection("malformed", "No root element");
  return { root, streamedCount };
}
