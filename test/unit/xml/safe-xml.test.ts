import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseXmlSafely, XmlRejection, type XmlRejectionReason } from "../../../shared/xml/safe-xml";

const fixture = (name: string) => readFileSync(join(__dirname, "../../fixtures/xml", name));
const MB = 1024 * 1024;

function rejectionOf(run: () => unknown): XmlRejection {
  try {
    run();
  } catch (e) {
    if (e instanceof XmlRejection) return e;
    throw e;
  }
  throw new Error("expected an XmlRejection");
}

const reasonOf = (input: Buffer | string, maxBytes = MB): XmlRejectionReason =>
  rejectionOf(() => parseXmlSafely(input, { maxBytes })).reason;

describe("parseXmlSafely: the tree", () => {
  test("keeps text exactly as strings, resolves namespaces, drops prefixes", () => {
    const { root } = parseXmlSafely(
      `<?xml version="1.0" encoding="UTF-8"?>
<p:r xmlns:p="urn:a" xmlns="urn:b" id="7"><amount>10.10</amount><code>0301</code><pad> 0042 </pad><q:x xmlns:q="urn:c"/><n xmlns="">1e3</n></p:r>`,
      { maxBytes: MB },
    );
    expect(root.name).toBe("r");
    expect(root.namespace).toBe("urn:a");
    expect(root.attributes).toEqual({ id: "7" });
    expect(root.children.map((c) => [c.name, c.namespace, c.text])).toEqual([
      ["amount", "urn:b", "10.10"],
      ["code", "urn:b", "0301"],
      ["pad", "urn:b", " 0042 "],
      ["x", "urn:c", ""],
      ["n", undefined, "1e3"],
    ]);
  });

  test("decodes predefined entities and character references once, and CDATA verbatim", () => {
    const { root } = parseXmlSafely(
      `<r a="x &amp;amp; y"><t>R &amp; F &#38; &#x41;&lt;&gt;&quot;&apos;</t><c><![CDATA[&amp; <b>]]>!</c></r>`,
      { maxBytes: MB },
    );
    expect(root.attributes.a).toBe("x &amp; y");
    expect(root.children[0]!.text).toBe(`R & F & A<>"'`);
    expect(root.children[1]!.text).toBe("&amp; <b>!");
  });

  test("normalises line ends and accepts a UTF-8 BOM, comments and self-closing roots", () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { root } = parseXmlSafely(Buffer.concat([bom, Buffer.from("<!-- c -->\r\n<r>a\r\nb\rc</r>\r\n")]), {
      maxBytes: MB,
    });
    expect(root.text).toBe("a\nb\nc");
    expect(parseXmlSafely("<r/>", { maxBytes: 10 }).root.name).toBe("r");
  });

  test("accepts non-ASCII UTF-8 text", () => {
    expect(parseXmlSafely(Buffer.from("<r>Città di Forlì €</r>", "utf8"), { maxBytes: MB }).root.text).toBe(
      "Città di Forlì €",
    );
  });
});

describe("parseXmlSafely: hostile input", () => {
  // Bounded work, not time (timings belong in the bench): the refusal is found where the declaration starts, before
  // the parser builds anything, and allocates next to nothing, however large the expansion would have been.
  test("billion laughs is refused at the declaration, without expanding anything", () => {
    const input = fixture("billion-laughs.xml");
    parseXmlSafely("<warm-up/>", { maxBytes: MB });
    const heapBefore = process.memoryUsage().heapUsed;
    const e = rejectionOf(() => parseXmlSafely(input, { maxBytes: MB }));
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(e.reason).toBe("dtd-forbidden");
    expect(e.message).toMatch(/found at offset \d{1,2}\)/);
    // Expanded, lol9 would be 3·10^9 characters; the whole refusal allocates less than a megabyte.
    expect(heapGrowth).toBeLessThan(MB);
  });

  test("the declaration is refused the same way whatever follows it", () => {
    // 900 KB of elements after the DTD: had the parser run first, it would have had to build them all.
    const padded = Buffer.concat([fixture("billion-laughs.xml"), Buffer.from("<x/>".repeat(225_000))]);
    const e = rejectionOf(() => parseXmlSafely(padded, { maxBytes: MB }));
    expect(e.reason).toBe("dtd-forbidden");
    expect(e.message).toMatch(/found at offset \d{1,2}\)/);
  });

  test("XXE with SYSTEM file:///etc/passwd is refused, and the file's content never appears", () => {
    const e = rejectionOf(() => parseXmlSafely(fixture("xxe-file.xml"), { maxBytes: MB }));
    expect(e.reason).toBe("dtd-forbidden");
    expect(e.message).not.toMatch(/root:/);
  });

  test("parameter entities and lower-case declarations are refused too", () => {
    expect(reasonOf(fixture("xxe-parameter-entity.xml"))).toBe("dtd-forbidden");
    expect(reasonOf(`<r><!-- <!ENTITY x "y"> --></r>`)).toBe("dtd-forbidden");
    expect(reasonOf(`<r><![CDATA[<!DocType x>]]></r>`)).toBe("dtd-forbidden");
  });

  test("a 20 MB input with maxBytes 5 MB is refused before decoding or parsing", () => {
    // Not even XML, and not UTF-8 either: had anything decoded it, the answer would be unsupported-encoding; had
    // anything copied it into a string, the heap would have grown by tens of megabytes.
    const big = Buffer.alloc(20 * MB, 0xff);
    const heapBefore = process.memoryUsage().heapUsed;
    const e = rejectionOf(() => parseXmlSafely(big, { maxBytes: 5 * MB }));
    expect(e.reason).toBe("too-large");
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(MB);
    const bigString = `<r>${"a".repeat(20 * MB)}</r>`;
    expect(reasonOf(bigString, 5 * MB)).toBe("too-large");
  });

  test("size is counted in UTF-8 bytes for strings", () => {
    expect(reasonOf("<r>€€€</r>", 10)).toBe("too-large");
    expect(parseXmlSafely("<r>€€€</r>", { maxBytes: 16 }).root.text).toBe("€€€");
  });

  test("nesting deeper than the limit is refused before any recursion", () => {
    const deep = (n: number) => "<a>".repeat(n) + "</a>".repeat(n);
    expect(() => parseXmlSafely(deep(64), { maxBytes: MB })).not.toThrow();
    expect(reasonOf(deep(65))).toBe("too-deep");
    expect(reasonOf("<a>".repeat(100_000))).toBe("too-deep");
    expect(rejectionOf(() => parseXmlSafely(deep(9), { maxBytes: MB, maxDepth: 8 })).reason).toBe("too-deep");
  });
});

describe("parseXmlSafely: every other rejection", () => {
  test.each<[string, Buffer | string, XmlRejectionReason]>([
    [
      "UTF-16 LE with BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("<r/>", "utf16le")]),
      "unsupported-encoding",
    ],
    [
      "UTF-16 BE with BOM",
      Buffer.from([0xfe, 0xff, 0x00, 0x3c, 0x00, 0x72, 0x00, 0x2f, 0x00, 0x3e]),
      "unsupported-encoding",
    ],
    ["UTF-16 without BOM", Buffer.from("<r/>", "utf16le"), "unsupported-encoding"],
    [
      "invalid UTF-8 bytes",
      Buffer.from([0x3c, 0x72, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x72, 0x3e]),
      "unsupported-encoding",
    ],
    ["declared ISO-8859-1", `<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, "unsupported-encoding"],
    ["processing instruction", `<?xml version="1.0"?><?xml-stylesheet href="x"?><r/>`, "pi-forbidden"],
    ["PI inside the root", `<r><?php echo 1; ?></r>`, "pi-forbidden"],
    ["declaration not at the start", ` <?xml version="1.0"?><r/>`, "pi-forbidden"],
    ["XML 1.1 declaration", `<?xml version="1.1"?><r/>`, "malformed"],
    ["empty document", "", "malformed"],
    ["only whitespace", "  \n ", "malformed"],
    ["unclosed tag", "<r><a></r>", "malformed"],
    ["unclosed root", "<r><a/>", "malformed"],
    ["mismatched tags", "<r><a></b></r>", "malformed"],
    ["end tag without start", "<r/></r>", "malformed"],
    ["multiple roots", "<r/><s/>", "malformed"],
    ["text before the root", "x<r/>", "malformed"],
    ["text after the root", "<r/>x", "malformed"],
    ["CDATA after the root", "<r/><![CDATA[x]]>", "malformed"],
    ["attribute without value", "<r a/>", "malformed"],
    ["unquoted attribute", "<r a=1/>", "malformed"],
    ["repeated attribute", `<r a="1" a="2"/>`, "malformed"],
    ["attributes without space", `<r a="1"b="2"/>`, "malformed"],
    ["invalid element name", "<1r/>", "malformed"],
    ["< in attribute value", `<r a="<"/>`, "malformed"],
    ["undeclared entity", "<r>&nbsp;</r>", "malformed"],
    ["bare ampersand", "<r>a & b</r>", "malformed"],
    ["reference to NUL", "<r>&#0;</r>", "malformed"],
    ["control character", "<r>\u0001</r>", "malformed"],
    ["unbound prefix", "<p:r/>", "malformed"],
    ["unclosed comment", "<r><!-- x </r>", "malformed"],
    ["double hyphen in comment", "<r><!-- a -- b --></r>", "malformed"],
  ])("%s", (_label, input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  test("rejections are Errors with a reason and a message", () => {
    const e = rejectionOf(() => parseXmlSafely("<r><a></b></r>", { maxBytes: MB }));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("XmlRejection");
    expect(e.message).toMatch(/<\/a>.*<\/b>|Expected/);
  });
});
