import { DomainError } from "../../../shared/domain/errors";
import {
  narrowSegregationCodes,
  parseBooleanParam,
  parseSegregationCodesParam,
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
