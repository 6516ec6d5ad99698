// Domain → API shapes of openapi/reporting.json.
import type { FlowSummary } from "../../shared/domain/reporting/flow-report";

export interface FlowDto {
  flowId: string;
  flowDate: string;
}

export const toFlowDto = (flow: FlowSummary): FlowDto => ({ flowId: flow.flowId, flowDate: flow.flowDateTime });
