import type { Subscription } from "./subscription";

export interface SubscriptionRepository {
  findByKeyHash(keyHash: string): Promise<Subscription | undefined>;
  findByName(name: string): Promise<Subscription | undefined>;
  list(): Promise<Subscription[]>;
  /** Conflict (409) when the name is taken. */
  create(subscription: Subscription): Promise<void>;
  revoke(name: string, at: Date): Promise<Subscription>;
}
