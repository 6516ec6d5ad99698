// Timer trigger: fired by the NCRONTAB schedule FINISH_STALLED_UPLOADS_SCHEDULE (app setting), or at once with
// POST /admin/functions/finishStalledUploads. An upload whose chunk messages were never all queued (the accepting
// instance died between recording it and queueing them; its client got no 202) would stay IN_PROGRESS for ever: once
// it is a day old, the parts no worker took are reported as not applied and the report is written
// (docs/adr/0050-massive-upload.md).
import type { TimerHandler } from "@azure/functions";
import type { UploadService } from "../../shared/application/upload-service";
import { uploadLimits } from "../../shared/domain/uploads/upload";
import { timerJob } from "../../shared/logging/timer-job";

export interface FinishStalledUploadsDeps {
  uploads: UploadService;
  clock: () => Date;
}

export const makeFinishStalledUploads = (deps: FinishStalledUploadsDeps): TimerHandler =>
  timerJob("finishStalledUploads", async (log) => {
    const result = await deps.uploads.finishStalled(deps.clock(), uploadLimits.staleAfterMs);
    // One summary line per run, as the other jobs (`gpd job run … --wait` prints it).
    log.info(
      `finishStalledUploads: ${result.examined} stalled upload(s) examined, ${result.finished} finished, ` +
        `${result.chunks} part(s) reported as not applied`,
      { ...result },
    );
    return result;
  });
