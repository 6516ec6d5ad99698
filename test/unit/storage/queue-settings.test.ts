// The app's idea of a message's last delivery must be the host's: the queue functions record a chunk's or a job's
// failure on the delivery numbered maxDequeueCount, after which the host moves the message to the poison queue.
import path from "node:path";
import { queuesOptionsOf, readHostJson } from "../../../local/host/host-json";
import { defaultHoldSeconds, holdSecondsOf } from "../../../local/host/queue-trigger";
import { queueMaxDequeueCount } from "../../../shared/storage/definition";

describe("queue settings", () => {
  it("host.json's maxDequeueCount is the one the queue functions treat as the last delivery", () => {
    const hostJson = readHostJson(path.resolve(__dirname, "../../../host.json"), {});
    expect(queuesOptionsOf(hostJson).maxDequeueCount).toBe(queueMaxDequeueCount);
  });

  it("the local host holds messages 600 s unless LOCAL_QUEUE_HOLD_SECONDS shortens it, and refuses nonsense", () => {
    expect(holdSecondsOf({})).toBe(defaultHoldSeconds);
    expect(holdSecondsOf({ LOCAL_QUEUE_HOLD_SECONDS: " 3 " })).toBe(3);
    for (const bad of ["0", "601", "2.5", "soon"]) {
      expect(() => holdSecondsOf({ LOCAL_QUEUE_HOLD_SECONDS: bad })).toThrow(/LOCAL_QUEUE_HOLD_SECONDS/);
    }
  });
});
