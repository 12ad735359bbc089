// Signer build for host/sigv4/sign-request.ts, compiled apart from the test harness so the
// CLI and the tests never write the same output files at once.

export { signParts } from "./sigv4";
