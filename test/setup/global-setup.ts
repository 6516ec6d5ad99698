// Placeholder until the local-stack setup lands: starts nothing.
export default function globalSetup(): void {}
