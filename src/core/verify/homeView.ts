// What of the real home folder a sandboxed test run sees (docs/architecture.md §5, "Isolation"): nothing,
// except the toolchains and tool configuration tests need, read-only. Credentials are never shown, not even
// inside a shown toolchain folder (cargo's token, maven's settings): those are masked.
import { lstatSync } from 'node:fs';
import { delimiter, isAbsolute, join, normalize, relative, sep } from 'node:path';

/** Home entries tests may need: toolchains, their package caches, and git's configuration. Read-only. */
export const HOME_TOOLCHAINS = [
  '.gitconfig', '.config/git', '.cargo', '.rustup', '.pyenv', '.nvm', '.volta', '.fnm', '.bun', '.deno', '.local/lib', '.local/bin',
  '.local/share/uv', '.local/share/pnpm', 'go', '.config/go', '.m2', '.gradle', '.sdkman', '.rbenv', '.asdf', '.elan', '.ghcup', '.opam',
  '.dotnet', '.nuget/packages', '.cache/ms-playwright', '.cache/Cypress', '.julia', '.conda', 'miniconda3', 'anaconda3',
];

/** Never shown, wherever they sit (also inside a shown folder): keys, tokens, key rings, browser profiles. */
export const HOME_SECRETS = [
  '.ssh', '.aws', '.gnupg', '.config/gh', '.config/hub', '.docker', '.kube', '.netrc', '.git-credentials', '.npmrc', '.yarnrc', '.yarnrc.yml',
  '.pypirc', '.azure', '.config/gcloud', '.oci', '.terraform.d', '.vault-token', '.password-store', '.local/share/keyrings', '.pki',
  '.mozilla', '.config/google-chrome', '.config/chromium', '.config/BraveSoftware', '.thunderbird', '.cargo/credentials', '.cargo/credentials.toml',
  '.m2/settings.xml', '.m2/settings-security.xml', '.gradle/gradle.properties', '.config/containers/auth.json', '.bash_history', '.zsh_history',
  '.python_history', '.node_repl_history', '.psql_history', '.mysql_history', '.pgpass', '.my.cnf', '.s3cfg', '.boto', '.config/rclone',
];

/** Variables that name toolchain folders (shown when they lie inside the home folder). */
const TOOLCHAIN_VARS = ['CARGO_HOME', 'RUSTUP_HOME', 'PYENV_ROOT', 'NVM_DIR', 'VOLTA_HOME', 'GOPATH', 'GOMODCACHE', 'GOROOT', 'BUN_INSTALL', 'DENO_DIR', 'SDKMAN_DIR', 'PNPM_HOME', 'CONDA_PREFIX', 'VIRTUAL_ENV', 'JAVA_HOME'];

export interface HomeView {
  home: string;
  /** Absolute paths bound read-only over the empty home, in order (parents before children). */
  show: string[];
  /** Secrets inside shown folders: a file is covered by /dev/null, a folder by an empty tmpfs. */
  mask: Array<{ path: string; dir: boolean }>;
  /** Home-relative names of secrets that exist and are hidden (for the run's notes). */
  hiddenSecrets: string[];
}

const inside = (home: string, p: string): string | undefined => {
  const r = relative(home, normalize(p));
  return r && !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : undefined;
};
const under = (rel: string, secret: string): boolean => rel === secret || rel.startsWith(`${secret}/`);

/** Pure except for lstat: what a run sees of `home`, given the environment (PATH and toolchain variables). */
export function homeView(home: string, env: Record<string, string | undefined>): HomeView {
  const wanted = new Set(HOME_TOOLCHAINS);
  for (const v of TOOLCHAIN_VARS) { const r = env[v] ? inside(home, env[v]!) : undefined; if (r) wanted.add(r); }
  for (const p of (env.PATH ?? '').split(delimiter)) { const r = p && isAbsolute(p) ? inside(home, p) : undefined; if (r) wanted.add(r); }
  const exists = (rel: string): ReturnType<typeof lstatSync> | undefined => lstatSync(join(home, rel), { throwIfNoEntry: false });
  // A wanted path that is (or lies inside) a secret is never shown; a shown path inside another shown path is redundant.
  const rels = [...wanted].filter((r) => !HOME_SECRETS.some((s) => under(r, s)) && exists(r)).sort();
  const show = rels.filter((r) => !rels.some((o) => o !== r && under(r, o)));
  const mask: HomeView['mask'] = [];
  for (const s of HOME_SECRETS) {
    if (!show.some((r) => under(s, r) && s !== r)) continue;
    const st = exists(s);
    if (st) mask.push({ path: join(home, s), dir: st.isDirectory() });
  }
  const hiddenSecrets = HOME_SECRETS.filter((s) => !s.includes('/') || s.startsWith('.config/')).filter((s) => exists(s));
  return { home, show: show.map((r) => join(home, r)), mask, hiddenSecrets };
}

/** One line for the run's notes. */
export function homeNote(v: HomeView): string {
  const shown = v.show.map((p) => `~/${relative(v.home, p)}`);
  const secrets = v.hiddenSecrets.slice(0, 6).map((s) => `~/${s}`).join(', ') + (v.hiddenSecrets.length > 6 ? ', …' : '');
  return `your home folder is hidden from the tests${shown.length ? ` except ${shown.slice(0, 6).join(', ')}${shown.length > 6 ? ', …' : ''} (read-only)` : ''}${secrets ? `; hidden: ${secrets}` : ''}`;
}
