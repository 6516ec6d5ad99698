// Helpers for job tests: run a job now through the local host's admin API and wait for it, and wrap the real
// repository to inject faults at the port (real Cosmos underneath).
import type { DebtPositionRepository } from "../../shared/domain/debt-positions/ports";
import { baseUrl } from "./gpd-client";

/**
 * POST /admin/functions/{name} (202), then polls the local host's invocation record until the run ends; on the suite's
 * host unless another host's URL is given.
 */
export async function runJobNow(name: string, url = baseUrl()): Promise<{ status: string; error?: string }> {
  const started = await fetch(`${url}/admin/functions/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ input: "" }),
  });
  if (started.status !== 202) throw new Error(`POST /admin/functions/${name} answered ${started.status}`);
  const id = started.headers.get("x-invocation-id") ?? "";
  for (let i = 0; i < 2400; i += 1) {
    const run = (await (await fetch(`${url}/admin/invocations/${id}`)).json()) as {
      status: string;
      error?: string;
    };
    if (run.status !== "running") return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not finish within 120 s`);
}

/** The real repository with some methods replaced: fault injection at the port, real Cosmos underneath. */
export function withOverrides(
  real: DebtPositionRepository,
  overrides: Partial<DebtPositionRepository>,
): DebtPositionRepository {
  const delegate: DebtPositionRepository = {
    get: async (o, i) => await real.get(o, i),
    findByPaymentReference: async (o, r) => await real.findByPaymentReference(o, r),
    create: async (p) => await real.create(p),
    createMany: async (p, b) => {
      await real.createMany(p, b);
    },
    recoverBulks: async (s) => await real.recoverBulks(s),
    replace: async (p, n) => await real.replace(p, n),
    delete: async (p) => {
      await real.delete(p);
    },
    list: async (q) => await real.list(q),
    findJobCandidates: async (k, n, s, c) => await real.findJobCandidates(k, n, s, c),
    replaceMany: async (c) => {
      await real.replaceMany(c);
    },
    deleteMany: async (p) => {
      await real.deleteMany(p);
    },
    findByChangeableIban: async (o, i, s, c) => await real.findByChangeableIban(o, i, s, c),
  };
  return { ...delegate, ...overrides };
}
