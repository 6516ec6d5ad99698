// NoticeJob (domain) → NoticeJob (openapi/notices.json).
import type { NoticeJobView } from "../../shared/application/notice-service";

export const toNoticeJobResponse = ({ job, download }: NoticeJobView) => ({
  jobId: job.jobId,
  organizationFiscalCode: job.organizationFiscalCode,
  status: job.status,
  format: job.format,
  ...(job.total === undefined ? {} : { total: job.total }),
  rendered: job.rendered,
  skipped: job.skipped,
  skippedPositions: job.skippedPositions,
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
  ...(job.startedAt === undefined ? {} : { startedAt: job.startedAt }),
  ...(job.completedAt === undefined ? {} : { completedAt: job.completedAt }),
  ...(job.error === undefined ? {} : { error: job.error }),
  ...(download === undefined || job.archive === undefined
    ? {}
    : {
        download: {
          url: download.url,
          expiresAt: download.expiresAt,
          contentType: job.archive.contentType,
          size: job.archive.size,
        },
      }),
});
