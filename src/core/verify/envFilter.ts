// Environment variables a test run does not get (docs/architecture.md §5, "Isolation"): those whose names
// look like credentials, and the sockets of agents that hold keys. The user lists the ones their tests need
// in qwq.tests.env (CLI: --env NAME).

const CREDENTIAL_NAME = /TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CLIENT_?KEY|CREDENTIAL|_AUTH\b|^AUTH_|_AUTH_|COOKIE|SESSION_?KEY|SIGNING_?KEY|_PAT$|^PAT_/i;
const CREDENTIAL_PREFIX = /^(AWS_|GH_|GITHUB_TOKEN|NPM_TOKEN|NODE_AUTH|AZURE_|ARM_CLIENT|GOOGLE_APPLICATION_CREDENTIALS|GCLOUD_|CLOUDSDK_|VAULT_|DOCKER_AUTH|TWINE_|CARGO_REGISTRY|HF_|HUGGING|OPENAI_|ANTHROPIC_|SENTRY_DSN|SLACK_|STRIPE_|DATABASE_URL|REDIS_URL|MONGO|PG(PASSWORD|PASSFILE)|MYSQL_PWD)/i;
/** Sockets to agents that sign or decrypt for whoever connects. */
const AGENT_SOCKETS = new Set(['SSH_AUTH_SOCK', 'SSH_AGENT_PID', 'GPG_AGENT_INFO', 'GNOME_KEYRING_CONTROL', 'DBUS_SESSION_BUS_ADDRESS', 'KRB5CCNAME']);

/** Certificate-authority bundles are public: TLS behind a corporate proxy needs them. */
const CA_BUNDLE = /CA_BUNDLE|CA_CERTS|CA_FILE|CERTS?_FILE$|_CA_PATH$/i;

export function looksLikeCredential(name: string): boolean {
  if (CA_BUNDLE.test(name)) return false;
  return AGENT_SOCKETS.has(name) || CREDENTIAL_NAME.test(name) || CREDENTIAL_PREFIX.test(name);
}

/** The environment without credential-looking variables, except those in `allow`; and the names dropped. */
export function withoutCredentials(env: Record<string, string | undefined>, allow: readonly string[] = []): { env: Record<string, string | undefined>; dropped: string[] } {
  const keep = new Set(allow);
  const out: Record<string, string | undefined> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && looksLikeCredential(k) && !keep.has(k)) dropped.push(k);
    else out[k] = v;
  }
  return { env: out, dropped: dropped.sort() };
}

/** One line for the run's notes. */
export function envNote(dropped: string[]): string | undefined {
  if (!dropped.length) return undefined;
  return `${dropped.length} credential-looking variable(s) not passed to the tests: ${dropped.slice(0, 8).join(', ')}${dropped.length > 8 ? ', …' : ''} (list those your tests need in qwq.tests.env, CLI --env NAME)`;
}
