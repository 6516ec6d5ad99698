// Typed in-memory implementations of the domain's ports, for testing the application services without I/O. They
// keep the contracts the Cosmos and Blob adapters keep (ETag-conditional writes, unique IUPD/IUV/NAV per
// organization, create-only blobs), so a service test exercises the same decisions it makes against the stores.
import { DomainError } from "../../shared/domain/errors";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import type {
  CandidatePage,
  DebtPositionRepository,
  ListPage,
  ListQuery,
  Versioned,
} from "../../shared/domain/debt-positions/ports";
import type { Organization, OrganizationRepository } from "../../shared/domain/organizations/organization";
import type {
  ReceiptEntry,
  ReceiptListPage,
  ReceiptListQuery,
  ReceiptRepository,
  ReceiptStore,
  ReceiptWrite,
} from "../../shared/domain/receipts/ports";
import type { FlowKey, FlowResult, FlowSummary } from "../../shared/domain/reporting/flow-report";
import type { FlowStore, StoreOutcome } from "../../shared/domain/reporting/ports";

const clone = <T>(value: T): T => structuredClone(value);

const uniqueViolation = (org: string) =>
  new DomainError(
    "DEBT_POSITION_UNIQUE_VIOLATION",
    `Already exists a debt position for the Organization Fiscal Code ${org} or one of its payment options is not unique`,
  );

const concurrentChange = () => new DomainError("CONCURRENT_MODIFICATION", "The debt position changed meanwhile");

export class InMemoryDebtPositionRepository implements DebtPositionRepository {
  readonly #positions = new Map<string, Versioned<DebtPosition>>();
  #etagSerial = 0;
  /** Runs before the next conditional write: a test's way to let "another request" win a race. */
  beforeNextWrite: (() => void) | undefined;
  writes = 0;

  #key = (org: string, iupd: string) => `${org}|${iupd}`;
  #nextEtag = () => `"${(this.#etagSerial += 1)}"`;

  /** Every stored position (a test's view of the store). */
  all(): DebtPosition[] {
    return [...this.#positions.values()].map((v) => clone(v.value));
  }

  /** Changes a stored position behind the service's back, as a concurrent request would. */
  touch(org: string, iupd: string, change: (p: DebtPosition) => DebtPosition): void {
    const stored = this.#positions.get(this.#key(org, iupd));
    if (stored === undefined) throw new Error(`no position ${iupd}`);
    this.#positions.set(this.#key(org, iupd), { value: change(clone(stored.value)), etag: this.#nextEtag() });
  }

  get(org: string, iupd: string): Promise<Versioned<DebtPosition> | undefined> {
    const stored = this.#positions.get(this.#key(org, iupd));
    return Promise.resolve(stored === undefined ? undefined : clone(stored));
  }

  findByPaymentReference(
    org: string,
    ref: { iuv: string } | { nav: string },
  ): Promise<Versioned<DebtPosition> | undefined> {
    for (const stored of this.#positions.values()) {
      if (stored.value.organizationFiscalCode !== org) continue;
      const match = stored.value.paymentOption.some((o) => ("iuv" in ref ? o.iuv === ref.iuv : o.nav === ref.nav));
      if (match) return Promise.resolve(clone(stored));
    }
    return Promise.resolve(undefined);
  }

  #taken(position: DebtPosition, except?: string): boolean {
    const org = position.organizationFiscalCode;
    if (except === undefined && this.#positions.has(this.#key(org, position.iupd))) return true;
    const refs = new Set(position.paymentOption.flatMap((o) => [`iuv:${o.iuv}`, `nav:${o.nav}`]));
    for (const stored of this.#positions.values()) {
      if (stored.value.organizationFiscalCode !== org || stored.value.iupd === except) continue;
      if (stored.value.paymentOption.some((o) => refs.has(`iuv:${o.iuv}`) || refs.has(`nav:${o.nav}`))) return true;
    }
    return false;
  }

  #write(position: DebtPosition): string {
    this.beforeNextWrite?.();
    this.beforeNextWrite = undefined;
    this.writes += 1;
    const etag = this.#nextEtag();
    this.#positions.set(this.#key(position.organizationFiscalCode, position.iupd), { value: clone(position), etag });
    return etag;
  }

  create(position: DebtPosition): Promise<string> {
    if (this.#taken(position)) return Promise.reject(uniqueViolation(position.organizationFiscalCode));
    return Promise.resolve(this.#write(position));
  }

  async createMany(positions: readonly DebtPosition[]): Promise<void> {
    // All or nothing, like the adapter: check every position first, then write them all.
    for (const p of positions) {
      if (this.#taken(p)) throw uniqueViolation(p.organizationFiscalCode);
    }
    for (const p of positions) await this.create(p);
  }

  replace(previous: Versioned<DebtPosition>, next: DebtPosition): Promise<string> {
    this.beforeNextWrite?.();
    this.beforeNextWrite = undefined;
    const key = this.#key(previous.value.organizationFiscalCode, previous.value.iupd);
    if (this.#positions.get(key)?.etag !== previous.etag) return Promise.reject(concurrentChange());
    if (this.#taken(next, next.iupd)) return Promise.reject(uniqueViolation(next.organizationFiscalCode));
    return Promise.resolve(this.#write(next));
  }

  delete(previous: Versioned<DebtPosition>): Promise<void> {
    this.beforeNextWrite?.();
    this.beforeNextWrite = undefined;
    const key = this.#key(previous.value.organizationFiscalCode, previous.value.iupd);
    if (this.#positions.get(key)?.etag !== previous.etag) return Promise.reject(concurrentChange());
    this.#positions.delete(key);
    return Promise.resolve();
  }

  list(query: ListQuery): Promise<ListPage> {
    const mine = this.all()
      .filter((p) => p.organizationFiscalCode === query.organizationFiscalCode)
      .sort((a, b) => a.iupd.localeCompare(b.iupd));
    const start = query.page * query.limit;
    return Promise.resolve({ items: mine.slice(start, start + query.limit), total: mine.length });
  }

  findJobCandidates(): Promise<CandidatePage> {
    return Promise.resolve({ items: [...this.#positions.values()].map(clone), continuation: undefined });
  }
}

export class InMemoryOrganizationRepository implements OrganizationRepository {
  readonly #organizations = new Map<string, Organization>();

  constructor(organizations: readonly Organization[] = []) {
    for (const o of organizations) this.#organizations.set(o.fiscalCode, o);
  }

  find(fiscalCode: string): Promise<Organization | undefined> {
    return Promise.resolve(this.#organizations.get(fiscalCode));
  }

  findMany(fiscalCodes: readonly string[]): Promise<Map<string, Organization>> {
    const found = new Map<string, Organization>();
    for (const code of fiscalCodes) {
      const o = this.#organizations.get(code);
      if (o !== undefined) found.set(code, o);
    }
    return Promise.resolve(found);
  }

  upsert(organization: Organization): Promise<void> {
    this.#organizations.set(organization.fiscalCode, organization);
    return Promise.resolve();
  }

  list(): Promise<Organization[]> {
    return Promise.resolve([...this.#organizations.values()]);
  }
}

export class InMemoryReceiptRepository implements ReceiptRepository {
  readonly entries: ReceiptEntry[] = [];
  lastQuery: ReceiptListQuery | undefined;

  add(entry: ReceiptEntry): Promise<ReceiptWrite> {
    const existing = this.entries.find(
      (e) => e.organizationFiscalCode === entry.organizationFiscalCode && e.iuv === entry.iuv,
    );
    if (existing === undefined) {
      this.entries.push(entry);
      return Promise.resolve({ outcome: "written" });
    }
    return Promise.resolve(
      existing.receiptId === entry.receiptId
        ? { outcome: "already-there" }
        : { outcome: "conflict", storedReceiptId: existing.receiptId },
    );
  }

  list(query: ReceiptListQuery): Promise<ReceiptListPage> {
    this.lastQuery = query;
    const items = this.entries.filter((e) => e.organizationFiscalCode === query.organizationFiscalCode);
    return Promise.resolve({ items: items.slice(0, query.limit), morePages: items.length > query.limit });
  }
}

export class InMemoryReceiptStore implements ReceiptStore {
  readonly #blobs = new Map<string, { receiptId: string; xml: Buffer }>();

  nameOf(org: string, iuv: string): string {
    return `${org}/${iuv}.xml`;
  }

  put(org: string, iuv: string, receiptId: string, xml: Buffer): Promise<ReceiptWrite> {
    const name = this.nameOf(org, iuv);
    const existing = this.#blobs.get(name);
    if (existing === undefined) {
      this.#blobs.set(name, { receiptId, xml });
      return Promise.resolve({ outcome: "written" });
    }
    return Promise.resolve(
      existing.receiptId === receiptId
        ? { outcome: "already-there" }
        : { outcome: "conflict", storedReceiptId: existing.receiptId },
    );
  }

  get(org: string, iuv: string): Promise<Buffer | undefined> {
    return Promise.resolve(this.#blobs.get(this.nameOf(org, iuv))?.xml);
  }
}

export class InMemoryFlowStore implements FlowStore {
  readonly #flows = new Map<string, { key: FlowKey; flowDateTime: string; xml: Buffer }>();
  readonly #results = new Map<string, FlowResult>();

  #name = (k: FlowKey) => `${k.organization}/${k.flowDate}/${k.flowId}`;

  store(key: FlowKey, flowDateTime: string, xml: Buffer): Promise<StoreOutcome> {
    const existing = this.#flows.get(this.#name(key));
    if (existing === undefined) {
      this.#flows.set(this.#name(key), { key, flowDateTime, xml });
      return Promise.resolve("stored");
    }
    return Promise.resolve(existing.xml.equals(xml) ? "already-stored" : "conflict");
  }

  saveResult(key: FlowKey, result: FlowResult): Promise<void> {
    this.#results.set(this.#name(key), result);
    return Promise.resolve();
  }

  readResult(key: FlowKey): Promise<FlowResult | undefined> {
    return Promise.resolve(this.#results.get(this.#name(key)));
  }

  read(key: FlowKey): Promise<Buffer | undefined> {
    return Promise.resolve(this.#flows.get(this.#name(key))?.xml);
  }

  list(organization: string, flowDate?: string): Promise<FlowSummary[]> {
    return Promise.resolve(
      [...this.#flows.values()]
        .filter((f) => f.key.organization === organization && (flowDate === undefined || f.key.flowDate === flowDate))
        .map((f): FlowSummary => ({ ...f.key, flowDateTime: f.flowDateTime })),
    );
  }
}
