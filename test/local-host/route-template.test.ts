// Pure tests of the ASP.NET-style route templates: parsing, constraints, optional/default/catch-all and precedence.
import {
  comparePrecedence,
  matchRoute,
  parseRouteTemplate,
  RouteTemplateError,
  splitPath,
} from "../../local/host/route-template";

function match(template: string, path: string) {
  const segments = splitPath(path);
  if (!segments) throw new Error(`bad path ${path}`);
  return matchRoute(parseRouteTemplate(template), segments);
}

describe("matching", () => {
  test.each([
    ["organizations/{fc}/debtpositions", "/organizations/777/debtpositions", { fc: "777" }],
    ["Organizations/{fc}", "/oRGANIZATIONS/777/", { fc: "777" }],
    ["items/{id?}", "/items", {}],
    ["items/{id=42}", "/items", { id: "42" }],
    ["items/{id:int=7}", "/items/9", { id: "9" }],
    ["files/{*rest}", "/files/a/b/c", { rest: "a/b/c" }],
    ["files/{**rest}", "/files/x", { rest: "x" }],
    ["files/{*rest}", "/files", {}],
    ["docs/{name}.{ext}", "/docs/report.final.pdf", { name: "report.final", ext: "pdf" }],
    ["v/{id:int:min(1):max(10)}", "/v/10", { id: "10" }],
    ["v/{id:range(5,6)}", "/v/5", { id: "5" }],
    ["v/{id:long}", "/v/9223372036854775807", { id: "9223372036854775807" }],
    ["v/{flag:bool}", "/v/TRUE", { flag: "TRUE" }],
    ["v/{g:guid}", "/v/0f8fad5b-d9cb-469f-a165-70867728950e", { g: "0f8fad5b-d9cb-469f-a165-70867728950e" }],
    ["v/{n:decimal}", "/v/12.5", { n: "12.5" }],
    ["v/{d:datetime}", "/v/2024-01-31", { d: "2024-01-31" }],
    ["v/{s:minlength(2):maxlength(3)}", "/v/abc", { s: "abc" }],
    ["v/{s:length(2)}", "/v/ab", { s: "ab" }],
    ["v/{s:regex(^[A-Z]{{2}}\\d+$)}", "/v/IT60", { s: "IT60" }],
    ["v/{s:alpha}", "/v/caf%C3%A9x", undefined],
    ["", "/", {}],
  ])("%s against %s", (template, path, expected) => {
    expect(match(template, path)).toEqual(expected);
  });

  test.each([
    ["items/{id}", "/items"],
    ["items/{id}", "/items/1/2"],
    ["items/{id:int}", "/items/abc"],
    ["items/{id:int}", "/items/2147483648"],
    ["v/{id:int:min(1)}", "/v/0"],
    ["v/{id:max(10)}", "/v/11"],
    ["v/{s:alpha}", "/v/a1"],
    ["v/{s:length(2)}", "/v/abc"],
    ["v/{g:guid}", "/v/not-a-guid"],
    ["v/{flag:bool}", "/v/yes"],
    ["docs/{name}.{ext}", "/docs/noextension"],
    ["literal", "/other"],
  ])("%s does not match %s", (template, path) => {
    expect(match(template, path)).toBeUndefined();
  });

  test("paths with invalid percent-encoding are refused", () => {
    expect(splitPath("/a/%E0%A4%A")).toBeUndefined();
  });
});

describe("parsing", () => {
  test.each(["a/{id:unknown}", "a/{id", "a/id}", "a/{*rest}/b", "a/{x}{y}", "a/{x}/{X}", "a/{id:min(x)}", "a//b"])(
    "%s is refused",
    (template) => {
      expect(() => parseRouteTemplate(template)).toThrow(RouteTemplateError);
    },
  );
});

describe("precedence", () => {
  const order = (...templates: string[]) =>
    templates
      .map(parseRouteTemplate)
      .sort(comparePrecedence)
      .map((t) => t.text);

  test("literal beats complex beats constrained beats plain beats catch-all", () => {
    expect(order("a/{*rest}", "a/{id}", "a/{id:int}", "a/{n}.json", "a/bulk")).toEqual([
      "a/bulk",
      "a/{n}.json",
      "a/{id:int}",
      "a/{id}",
      "a/{*rest}",
    ]);
  });

  test("the bulk route wins over the iupd route for the same prefix", () => {
    expect(order("organizations/{fc}/debtpositions/{iupd}", "organizations/{fc}/debtpositions/bulk")).toEqual([
      "organizations/{fc}/debtpositions/bulk",
      "organizations/{fc}/debtpositions/{iupd}",
    ]);
  });

  test("earlier segments decide before later ones", () => {
    expect(order("{a}/x", "x/{a}")).toEqual(["x/{a}", "{a}/x"]);
  });
});
