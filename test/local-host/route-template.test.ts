// Pure tests of the route templates the local host supports (literal segments and {name}), its refusal of the rest of
// ASP.NET's grammar, and precedence.
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
    [
      "organizations/{organizationId}/reportings/{flowId}/date/{date}",
      "/organizations/1/reportings/F%201/date/d",
      {
        organizationId: "1",
        flowId: "F 1",
        date: "d",
      },
    ],
    ["openapi.json", "/openapi.json", {}],
    ["", "/", {}],
  ])("%s against %s", (template, path, expected) => {
    expect(match(template, path)).toEqual(expected);
  });

  test.each([
    ["items/{id}", "/items"],
    ["items/{id}", "/items/1/2"],
    ["items/{id}/x", "/items//x"],
    ["literal", "/other"],
    ["", "/x"],
  ])("%s does not match %s", (template, path) => {
    expect(match(template, path)).toBeUndefined();
  });

  test("paths with invalid percent-encoding are refused", () => {
    expect(splitPath("/a/%E0%A4%A")).toBeUndefined();
  });
});

describe("parsing", () => {
  test.each([
    "a/{id:int}",
    "a/{id?}",
    "a/{id=7}",
    "a/{*rest}",
    "a/{name}.{ext}",
    "a/{id",
    "a/id}",
    "a/{x}/{X}",
    "a//b",
  ])("%s is refused with a reason", (template) => {
    expect(() => parseRouteTemplate(template)).toThrow(RouteTemplateError);
  });

  test("the refusal says what is supported", () => {
    expect(() => parseRouteTemplate("echo/{id:int}")).toThrow(/literal segments and whole-segment \{name\}/);
  });
});

describe("precedence", () => {
  const order = (...templates: string[]) =>
    templates
      .map(parseRouteTemplate)
      .sort(comparePrecedence)
      .map((t) => t.text);

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
