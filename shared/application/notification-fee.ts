// PUT /organizations/{org}/paymentoptions/{nav}/notificationfee (docs/domain/notification-fee.md): the notification
// platform sets the fee of an unpaid option; the domain shifts amount and primary transfer (applyNotificationFee).
// The reference then asks the payment node whether a payment is in progress (checkPosition, answering 209): that call
// is out of scope here, so the answer is always 200 when the fee is applied.
import { DomainError } from "../domain/errors";
import type { PaymentOption } from "../domain/debt-positions/model";
import { applyNotificationFee } from "../domain/debt-positions/payments";
import type { DebtPositionRepository } from "../domain/debt-positions/ports";
import { withinSegregation } from "../domain/subscriptions/subscription";
import { retryLostRaces } from "./lost-races";
import type { CallContext } from "./call-context";

export class NotificationFeeService {
  readonly #positions: DebtPositionRepository;
  readonly #maxAttempts: number;

  constructor(deps: { positions: DebtPositionRepository; maxAttempts?: number }) {
    this.#positions = deps.positions;
    this.#maxAttempts = deps.maxAttempts ?? 3;
  }

  async update(ctx: CallContext, nav: string, notificationFee: number): Promise<PaymentOption> {
    const org = ctx.organizationFiscalCode;
    return retryLostRaces(async () => {
      // docs/domain/notification-fee.md: the option is looked up by NAV, or by IUV for callers that only know the IUV.
      const stored =
        (await this.#positions.findByPaymentReference(org, { nav })) ??
        (await this.#positions.findByPaymentReference(org, { iuv: nav }));
      if (stored === undefined) {
        throw new DomainError(
          "PAYMENT_OPTION_NOT_FOUND",
          `Not found a payment option for Organization Fiscal Code ${org} and NAV ${nav}`,
        );
      }
      if (!stored.value.paymentOption.every((o) => withinSegregation(ctx.caller, o.iuv))) {
        throw new DomainError(
          "DEBT_POSITION_FORBIDDEN",
          `The caller does not have proper authorization to access or modify the IUVs in the payment position. [Organization Fiscal Code=${org}, IUPD=${stored.value.iupd}]`,
        );
      }
      const result = applyNotificationFee(stored.value, nav, notificationFee, ctx.now);
      if (result.outcome === "refused") throw result.error;
      await this.#positions.replace(stored, result.position);
      return result.option;
    }, this.#maxAttempts);
  }
}
