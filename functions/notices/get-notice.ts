// GET /organizations/{organizationfiscalcode}/debtpositions/{iupd}/notice — the position's pagoPA payment notice as
// a PDF: 404 unknown, 403 outside the caller's segregation codes, 409 when the position cannot be paid.
import type { HttpHandler } from "@azure/functions";
import { DomainError } from "../../shared/domain/errors";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type NoticeHandlerDeps } from "./deps";
import { parseIupdParam } from "./schemas";

export const makeGetNotice = (deps: NoticeHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const iupd = parseIupdParam(scope.request.params.iupd);
    assertAcceptsPdf(scope.request.headers.get("accept"));
    const { pdf, notice } = await deps.notices.single(callContext(scope), iupd);
    const file = `avviso-${notice.iupd.replace(/[^\w.-]/g, "_")}.pdf`;
    return {
      status: 200,
      body: pdf,
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${file}"`,
        "Cache-Control": "no-store",
      },
    };
  });

/** No Accept, or one that admits application/pdf (q > 0); anything else is 406. */
function assertAcceptsPdf(accept: string | null): void {
  if (accept === null || accept.trim() === "") return;
  const admits = accept.split(",").some((part) => {
    const [range = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return ["application/pdf", "application/*", "*/*"].includes(range.trim());
  });
  if (!admits)
    throw new DomainError("NOT_ACCEPTABLE", `A notice is served as application/pdf; Accept was ${accept.slice(0, 80)}`);
}
