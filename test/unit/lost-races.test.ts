import { retryLostRaces } from "../../shared/application/lost-races";
import { DomainError } from "../../shared/domain/errors";

const lost = () => new DomainError("CONCURRENT_MODIFICATION", "changed meanwhile");
const noPause = () => Promise.resolve();

describe("retryLostRaces", () => {
  it("decides again after a lost race and returns the first success", async () => {
    const attempts: number[] = [];
    const result = await retryLostRaces(
      (n) => {
        attempts.push(n);
        return n < 3 ? Promise.reject(lost()) : Promise.resolve("won");
      },
      5,
      noPause,
    );
    expect(result).toBe("won");
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("throws the last lost race after maxAttempts", async () => {
    let calls = 0;
    await expect(
      retryLostRaces(
        () => {
          calls += 1;
          return Promise.reject(lost());
        },
        4,
        noPause,
      ),
    ).rejects.toMatchObject({ code: "CONCURRENT_MODIFICATION" });
    expect(calls).toBe(4);
  });

  it("never retries another error", async () => {
    let calls = 0;
    await expect(
      retryLostRaces(
        () => {
          calls += 1;
          return Promise.reject(new DomainError("DEBT_POSITION_NOT_FOUND", "gone"));
        },
        4,
        noPause,
      ),
    ).rejects.toMatchObject({ code: "DEBT_POSITION_NOT_FOUND" });
    expect(calls).toBe(1);
  });

  it("pauses between attempts with growing, bounded jitter", async () => {
    const pauses: number[] = [];
    await retryLostRaces(
      (n) => (n < 4 ? Promise.reject(lost()) : Promise.resolve()),
      5,
      (n) => {
        pauses.push(n);
        return Promise.resolve();
      },
    );
    expect(pauses).toEqual([1, 2, 3]);
  });
});
