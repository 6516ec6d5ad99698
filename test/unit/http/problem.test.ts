// The one error mapper: what it answers and what it logs (docs/adr/0065-unreadable-stored-positions.md).
import { DomainError } from "../../../shared/domain/errors";
import { problemFromError } from "../../../shared/http/problem";
import type { Logger } from "../../../shared/logging/logger";

function recordingLogger(): { log: Logger; lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (message: string): void => {
      lines.push({ level, message });
    };
  return { log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

describe("problemFromError", () => {
  test("an unreadable stored position is a 409 ProblemJson, logged at error level for an operator", () => {
    const { log, lines } = recordingLogger();
    const detail = "The debt position with IUPD X is stored in a form GPD can no longer read (paymentOption.0.amount)";
    const answer = problemFromError(new DomainError("DEBT_POSITION_UNREADABLE", detail), log);
    expect(answer.status).toBe(409);
    expect(answer.jsonBody).toEqual({
      title: "The debt position is stored in a form that can no longer be read",
      status: 409,
      detail,
    });
    expect(lines).toEqual([{ level: "error", message: `DEBT_POSITION_UNREADABLE: ${detail}` }]);
  });

  test("a caller's mistake is answered and not logged; an outage is logged as a warning with Retry-After", () => {
    const { log, lines } = recordingLogger();
    expect(problemFromError(new DomainError("DEBT_POSITION_NOT_FOUND", "no such position"), log).status).toBe(404);
    expect(lines).toEqual([]);
    const outage = problemFromError(new DomainError("SERVICE_UNAVAILABLE", "store down"), log);
    expect(outage.headers).toMatchObject({ "Retry-After": "5" });
    expect(lines).toEqual([{ level: "warn", message: "SERVICE_UNAVAILABLE: store down" }]);
  });
});
