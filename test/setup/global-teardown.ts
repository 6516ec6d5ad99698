// Stops what test/setup/global-setup.ts started, so jest exits with no open handles.
import { runningStack, setRunningStack } from "./running-stack";

export default async function globalTeardown(): Promise<void> {
  const stack = runningStack();
  setRunningStack(undefined);
  await stack?.stop();
}
