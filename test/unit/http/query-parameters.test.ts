import { DomainError } from "../../../shared/domain/errors";
import {
  narrowSegregationCodes,
  parseBooleanParam,
  parseSegregationCodesParam,
  refuseUnknownQueryParameters,
} from "../../../shared/http/query-parameters";
import { parseToPublish } from "../../../functions/debt-positions/schemas";

/** The DomainError `f` throws (fails the test when it throws nothing or something else). */
const thrown = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
};

describe("boolean query parameters as Spring binds them", () => {
  test.each(["true", "True", "TRUE", "1", "yes", "YES", "on", "On", " true "])("%p is true", (v) => {
    expect(parseBooleanParam("toPublish", v, false)).toBe(true);
  });
  test.each(["false", "False", "FALSE", "0", "no", "No", "off", "OFF"])("%p is false", (v) => {
    expect(parseBooleanParam("toPublish", v, true)).toBe(false);
  });
  test.each([null, undefined, "", "  "])("%p falls back to the default", (v) => {
    expect(parseBooleanParam("toPublish", v, true)).toBe(true);
    expect(parseToPublish(v)).toBe(false);
  });
  test.each(["maybe", "2", "t", "truee", "y"])("%p is a 400 naming the parameter", (v) => {
    const e = thrown(() => parseToPublish(v));
    expect([e.status, e.detail]).toEqual([400, `Invalid value ${v} for property toPublish`]);
  });
});

describe("segregationCodes query parameter", () => {
  test("absent: no narrowing", () => {
    expect(parseSegregationCodesParam(null)).toBeUndefined();
  });
  test.each([
    ["01", ["01"]],
    ["01,02", ["01", "02"]],
    ["01,01,47", ["01", "47"]],
  ])("%p → %p", (v, codes) => {
    expect(parseSegregationCodesParam(v)).toEqual(codes);
  });
  test.each(["", "1", "001", "01,", ",01", "01;02", "ab", "01, 02"])("%p is a 400", (v) => {
    expect(thrown(() => parseSegregationCodesParam(v)).status).toBe(400);
  });

  test("narrows the key's codes, never widens them", () => {
    expect(narrowSegregationCodes(undefined, undefined)).toBeUndefined();
    expect(narrowSegregationCodes(undefined, ["01"])).toEqual(["01"]);
    expect(narrowSegregationCodes(["01", "02"], undefined)).toEqual(["01", "02"]);
    expect(narrowSegregationCodes(["01", "02"], ["02", "03"])).toEqual(["02"]);
    expect(narrowSegregationCodes(["01"], ["03"])).toEqual([]);
  });
});

describe("unknown query parameters", () => {
  test("are refused by name, saying what the operation takes", () => {
    const e = thrown(() => {
      refuseUnknownQueryParameters(new URLSearchParams("pgae=0&limit=5&foo=1&foo=2"), ["page", "limit"]);
    });
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe("Unknown query parameter pgae, foo: this operation takes page, limit");
  });

  test("the key, API Management's segregation codes and the host's function key are taken everywhere", () => {
    expect(() => {
      refuseUnknownQueryParameters(new URLSearchParams("subscription-key=k&segregationCodes=01&code=c&toPublish=1"), [
        "toPublish",
      ]);
    }).not.toThrow();
    expect(
      thrown(() => {
        refuseUnknownQueryParameters({ toPublish: "true" }, []);
      }).detail,
    ).toBe("Unknown query parameter toPublish: this operation takes none");
  });

  test("a flood of names is cut short", () => {
    const query = new URLSearchParams(Array.from({ length: 1000 }, (_, i): [string, string] => [`p${i}`, "1"]));
    expect(
      thrown(() => {
        refuseUnknownQueryParameters(query, []);
      }).detail,
    ).toBe("Unknown query parameter p0, p1, p2, p3, p4 and 995 more: this operation takes none");
  });
});
