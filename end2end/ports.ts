// The ports of the servers playwright.config.ts starts, shared with the specs (importing
// the config itself from a spec would run it again).

/** The demo server every spec but sso.spec.ts uses. */
export const PORT = Number(process.env.FLEETDESK_E2E_PORT ?? 3123);
/** The demo server that signs in through the OpenID provider (tests/sso.spec.ts). */
export const SSO_PORT = Number(process.env.FLEETDESK_E2E_SSO_PORT ?? PORT + 1000);
/** The OpenID provider (oidc-provider-mock). */
export const PROVIDER_PORT = Number(process.env.FLEETDESK_E2E_OIDC_PORT ?? PORT + 2000);
/** The server over two AWS accounts in moto (tests/accounts.spec.ts). */
export const ACCOUNTS_PORT = Number(process.env.FLEETDESK_E2E_ACCOUNTS_PORT ?? PORT + 3000);
/** moto's server, the AWS of the accounts server. */
export const MOTO_PORT = Number(process.env.FLEETDESK_E2E_MOTO_PORT ?? PORT + 4000);
