// Hostile-input-safe XML reading for the ingestion jobs (docs/domain/jobs.md; the limits are docs/adr/0017-hostile-input-limits.md).
// Receipts and reporting flows come from outside, so this module refuses before it parses: size first (before decoding),
// then encoding, then any DTD (billion laughs and XXE are impossible by construction: nothing is ever declared, so
// nothing can be expanded or fetched), then processing instructions, then one linear well-formedness scan that bounds
// the depth. Only then does fast-xml-parser build the tree, with entity processing off; the five predefined entities
// and character references are decoded here, one character per reference, so no input can grow while being read.

import { Rejection } from "../domain/rejection";
import { XMLParser } from "fast-xml-parser";

export type XmlRejectionReason =
  "too-large" | "unsupported-encoding" | "dtd-forbidden" | "pi-forbidden" | "too-deep" | "malformed";

/** Why a document was refused; `reason` is meant for the metadata of the rejected blob. */
export class XmlRejection extends Rejection<XmlRejectionReason> {
  override readonly name = "XmlRejection";
}

export const isXmlRejection = (e: unknown): e is XmlRejection => e instanceof XmlRejection;

/** An element with its namespace resolved and its prefix dropped. */
export interface XmlElement {
  /** Local name, without prefix. */
  readonly name: string;
  /** Namespace URI, undefined when the element is in no namespace. */
  readonly namespace: string | undefined;
  /** Attributes by local name; namespace declarations are not attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA, entities decoded), exactly as written: never trimmed or coerced. */
  readonly text: string;
}

export interface XmlDocument {
  readonly root: XmlElement;
}

export interface SafeXmlOptions {
  maxBytes: number;
  /** Deepest element nesting accepted (the root is depth 1). Our documents need 6; SOAP adds 2. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: "#cdata",
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Our own scan already bounds the depth; this is a second fence, never the binding one.
  maxNestedTags: 10_000,
  // No callback uses paths; building the path strings costs about a quarter of the parse time.
  jPath: false,
});

export function parseXmlSafely(input: Buffer | string, opts: SafeXmlOptions): XmlDocument {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  checkSize(input, opts.maxBytes);
  let text = decode(input);
  // XML 1.0 §2.11: every processor sees line ends as a single LF.
  text = text.replace(/\r\n?/g, "\n");
  const bodyStart = checkDeclaration(text);
  const dtd = /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.exec(text);
  if (dtd)
    throw new XmlRejection(
      "dtd-forbidden",
      `Document type declarations are not accepted (found at offset ${dtd.index})`,
    );
  const pi = text.indexOf("<?", bodyStart);
  if (pi !== -1)
    throw new XmlRejection("pi-forbidden", `Processing instructions are not accepted (found at offset ${pi})`);
  checkCharacters(text);
  scanStructure(text, bodyStart, maxDepth);

  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (e) {
    throw new XmlRejection("malformed", e instanceof Error ? e.message : "Unparsable XML");
  }
  const rootNode = asNodeList(nodes).find((n) => elementNameOf(n) !== undefined);
  if (rootNode === undefined) throw new XmlRejection("malformed", "No root element");
  return { root: toElement(rootNode, new Map([["xml", XML_NAMESPACE]])) };
}

function checkSize(input: Buffer | string, maxBytes: number): void {
  // For a string, its UTF-16 length is a lower bound of its UTF-8 size: the cheap test comes first.
  const size =
    typeof input === "string"
      ? input.length > maxBytes
        ? input.length
        : Buffer.byteLength(input, "utf8")
      : input.byteLength;
  if (size > maxBytes) {
    throw new XmlRejection("too-large", `Document of ${size} bytes or more exceeds the limit of ${maxBytes} bytes`);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decode(input: Buffer | string): string {
  if (typeof input === "string") return input.startsWith("\uFEFF") ? input.slice(1) : input;
  const [b0, b1] = [input[0], input[1]];
  // UTF-16/32 byte-order marks, or the "<" of an unmarked UTF-16 document.
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || b0 === 0x00 || (b0 === 0x3c && b1 === 0x00)) {
    throw new XmlRejection("unsupported-encoding", "Only UTF-8 documents are accepted (found UTF-16 or UTF-32)");
  }
  try {
    return utf8.decode(input);
  } catch {
    throw new XmlRejection("unsupported-encoding", "Document is not valid UTF-8");
  }
}

const declarationPattern =
  /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\4)?[ \t\n]*\?>/;

/** Returns the offset where the document proper starts (after the XML declaration, if any). */
function checkDeclaration(text: string): number {
  if (!/^<\?xml[ \t\n?]/.test(text)) return 0;
  const m = declarationPattern.exec(text);
  if (!m) throw new XmlRejection("malformed", "Invalid XML declaration (only version 1.0 is accepted)");
  const encoding = m[3];
  if (encoding !== undefined && encoding.toUpperCase() !== "UTF-8") {
    throw new XmlRejection("unsupported-encoding", `Only UTF-8 documents are accepted (declared ${encoding})`);
  }
  return m[0].length;
}

// XML 1.0 §2.2 Char: controls other than tab/LF/CR, U+FFFE/U+FFFF and unpaired surrogates are not characters.
const forbiddenChar =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkCharacters(text: string): void {
  const m = forbiddenChar.exec(text);
  if (m) {
    const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    throw new XmlRejection("malformed", `Character U+${code} is not allowed in XML (offset ${m.index})`);
  }
}

const isXmlSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";

// XML 1.0 §2.3 Name, restricted to the Basic Multilingual Plane.
const nameStart =
  ":A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD";
const nameRest = `${nameStart}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
const xmlName = `[${nameStart}][${nameRest}]*`;
const endTag = new RegExp(`</(${xmlName})[ \\t\\n]*>`, "y");
const tagName = new RegExp(`^${xmlName}`);
const attribute = new RegExp(`[ \\t\\n]+(${xmlName})[ \\t\\n]*=[ \\t\\n]*(?:"[^"]*"|'[^']*')`, "y");
const trailingSpace = /[ \t\n]*$/y;

/** Checks `name (S attr="value")* S?` between "<" and ">" (or "/>"); returns the element name. */
function checkStartTag(inside: string, offset: number): string {
  const name = tagName.exec(inside)?.[0];
  if (name === undefined) throw new XmlRejection("malformed", `Invalid element name (offset ${offset})`);
  const seen = new Set<string>();
  let k = name.length;
  for (;;) {
    attribute.lastIndex = k;
    const m = attribute.exec(inside);
    if (!m) break;
    const attrName = m[1] ?? "";
    if (seen.has(attrName)) throw new XmlRejection("malformed", `Attribute ${attrName} repeated (offset ${offset})`);
    seen.add(attrName);
    k = attribute.lastIndex;
  }
  trailingSpace.lastIndex = k;
  trailingSpace.exec(inside);
  if (trailingSpace.lastIndex !== inside.length) {
    throw new XmlRejection("malformed", `Invalid attribute syntax in <${name}> (offset ${offset})`);
  }
  return name;
}

/**
 * One linear pass over the markup, before anything recursive runs: bounds the nesting and checks well-formedness of
 * tags (names, attribute syntax, no repeated attribute, matching end tags, one root, no text outside it). It replaces
 * fast-xml-parser's validator, deprecated in 5.x, and finds what that validator let through (several roots, text after
 * the root); the parser itself is lenient and only builds the tree of a document this pass has accepted.
 */
function scanStructure(text: string, start: number, maxDepth: number): void {
  const n = text.length;
  const stack: string[] = [];
  let rootSeen = false;
  let i = start;
  while (i < n) {
    const lt = text.indexOf("<", i);
    const textEnd = lt === -1 ? n : lt;
    if (stack.length === 0) {
      for (let k = i; k < textEnd; k++) {
        if (!isXmlSpace(text[k])) throw new XmlRejection("malformed", `Text outside the root element (offset ${k})`);
      }
    }
    if (lt === -1) break;
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      if (end === -1) throw new XmlRejection("malformed", `Unclosed comment (offset ${lt})`);
      if (text.indexOf("--", lt + 4) < end) throw new XmlRejection("malformed", `"--" inside a comment (offset ${lt})`);
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", lt)) {
      if (stack.length === 0) throw new XmlRejection("malformed", `CDATA outside the root element (offset ${lt})`);
      const end = text.indexOf("]]>", lt + 9);
      if (end === -1) throw new XmlRejection("malformed", `Unclosed CDATA section (offset ${lt})`);
      i = end + 3;
    } else if (text.startsWith("<!", lt) || text.startsWith("<?", lt)) {
      throw new XmlRejection("malformed", `Unexpected markup declaration (offset ${lt})`);
    } else if (text.startsWith("</", lt)) {
      endTag.lastIndex = lt;
      const m = endTag.exec(text);
      if (!m) throw new XmlRejection("malformed", `Invalid end tag (offset ${lt})`);
      const open = stack.pop();
      if (open === undefined)
        throw new XmlRejection("malformed", `End tag </${m[1]}> without a start tag (offset ${lt})`);
      if (open !== m[1]) throw new XmlRejection("malformed", `Expected </${open}>, found </${m[1]}> (offset ${lt})`);
      i = lt + m[0].length;
    } else {
      let j = lt + 1;
      let quote: string | undefined;
      for (; j < n; j++) {
        const c = text[j];
        if (quote !== undefined) {
          if (c === quote) quote = undefined;
          else if (c === "<") throw new XmlRejection("malformed", `"<" inside an attribute value (offset ${j})`);
        } else if (c === '"' || c === "'") quote = c;
        else if (c === ">") break;
        else if (c === "<") throw new XmlRejection("malformed", `"<" inside a tag (offset ${j})`);
      }
      if (j >= n) throw new XmlRejection("malformed", `Unclosed start tag (offset ${lt})`);
      const selfClosing = text[j - 1] === "/";
      const name = checkStartTag(text.slice(lt + 1, selfClosing ? j - 1 : j), lt);
      if (stack.length === 0) {
        if (rootSeen) throw new XmlRejection("malformed", `More than one root element (offset ${lt})`);
        rootSeen = true;
      }
      if (stack.length + 1 > maxDepth) {
        throw new XmlRejection("too-deep", `Elements nested deeper than ${maxDepth} levels (offset ${lt})`);
      }
      if (!selfClosing) stack.push(name);
      i = j + 1;
    }
  }
  if (!rootSeen) throw new XmlRejection("malformed", "No root element");
  const unclosed = stack.pop();
  if (unclosed !== undefined) throw new XmlRejection("malformed", `Element <${unclosed}> is not closed`);
}

// ---- conversion of fast-xml-parser's ordered output into XmlElement --------------------------------------------

type Node = Record<string, unknown>;

const asNodeList = (v: unknown): Node[] =>
  Array.isArray(v) ? v.filter((x): x is Node => typeof x === "object" && x !== null) : [];

/** In the ordered output a node is `{ [tagName]: children, ":@"?: attributes }` or `{ "#text": … }` / `{ "#cdata": … }`. */
function elementNameOf(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ":@" && k !== "#text" && k !== "#cdata");
}

function splitQName(qname: string): { prefix: string | undefined; local: string } {
  const parts = qname.split(":");
  if (parts.length === 1) return { prefix: undefined, local: qname };
  const [prefix, local] = parts;
  if (parts.length > 2 || !prefix || !local) throw new XmlRejection("malformed", `Invalid qualified name "${qname}"`);
  return { prefix, local };
}

function toElement(node: Node, inScope: ReadonlyMap<string, string>): XmlElement {
  const qname = elementNameOf(node);
  if (qname === undefined) throw new XmlRejection("malformed", "Expected an element");
  const rawAttributes = node[":@"];
  const attrs: [string, string][] =
    typeof rawAttributes === "object" && rawAttributes !== null
      ? Object.entries(rawAttributes).map(([k, v]) => [k, decodeReferences(typeof v === "string" ? v : "")])
      : [];

  let scope = inScope;
  for (const [k, v] of attrs) {
    if (k === "xmlns" || k.startsWith("xmlns:")) {
      if (scope === inScope) scope = new Map(inScope);
      const declared = k === "xmlns" ? "" : k.slice(6);
      if (declared === "xml" || declared === "xmlns" || (declared !== "" && v === "")) {
        throw new XmlRejection("malformed", `Invalid namespace declaration ${k}="${v}"`);
      }
      (scope as Map<string, string>).set(declared, v);
    }
  }

  const { prefix, local } = splitQName(qname);
  let namespace: string | undefined;
  if (prefix === undefined) {
    const dflt = scope.get("");
    namespace = dflt === undefined || dflt === "" ? undefined : dflt;
  } else {
    namespace = scope.get(prefix);
    if (namespace === undefined) throw new XmlRejection("malformed", `Unbound namespace prefix "${prefix}"`);
  }

  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of attrs) {
    if (k === "xmlns" || k.startsWith("xmlns:")) continue;
    const q = splitQName(k);
    if (q.prefix !== undefined && !scope.has(q.prefix)) {
      throw new XmlRejection("malformed", `Unbound namespace prefix "${q.prefix}"`);
    }
    attributes[q.local] = v;
  }

  const children: XmlElement[] = [];
  let text = "";
  for (const child of asNodeList(node[qname])) {
    if ("#text" in child) {
      // parseTagValue is off, so text nodes are always strings.
      const t = child["#text"];
      if (typeof t === "string") text += decodeReferences(t);
    } else if ("#cdata" in child) {
      for (const part of asNodeList(child["#cdata"])) {
        const t = part["#text"];
        if (typeof t === "string") text += t;
      }
    } else children.push(toElement(child, scope));
  }
  return { name: local, namespace, attributes, children, text };
}

const predefined: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const reference = /&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|([A-Za-z]+));/y;

/** Decodes the predefined entities and character references; any other reference is undeclared, hence malformed. */
function decodeReferences(raw: string): string {
  if (!raw.includes("&")) return raw;
  let out = "";
  let i = 0;
  for (let amp = raw.indexOf("&"); amp !== -1; amp = raw.indexOf("&", i)) {
    out += raw.slice(i, amp);
    reference.lastIndex = amp;
    const m = reference.exec(raw);
    if (!m) throw new XmlRejection("malformed", `Invalid "&" in character data`);
    const [whole, dec, hex, name] = m;
    if (name !== undefined) {
      const ch = predefined[name];
      if (ch === undefined) throw new XmlRejection("malformed", `Undeclared entity "&${name};"`);
      out += ch;
    } else {
      const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
      const legal =
        cp === 0x9 ||
        cp === 0xa ||
        cp === 0xd ||
        (cp >= 0x20 && cp <= 0xd7ff) ||
        (cp >= 0xe000 && cp <= 0xfffd) ||
        (cp >= 0x10000 && cp <= 0x10ffff);
      if (!legal) throw new XmlRejection("malformed", `Character reference "${whole}" is not an XML character`);
      out += String.fromCodePoint(cp);
    }
    i = amp + whole.length;
  }
  return out + raw.slice(i);
}
