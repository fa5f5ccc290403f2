// Types for scripts/code-server.mjs, so the TypeScript e2e harness can import it.
import type { Browser } from 'playwright-core';

export interface Profile { base: string; userDataDir: string; extensionsDir: string; config: string }
export interface CodeServer {
  url: string;
  port: number;
  /** The server's pid, which is also its process group id (it was started with setsid). */
  pid: number;
  profile: Profile;
  output(): string;
  /** Kills the whole process group and waits for it; deletes a temporary profile. */
  stop(): Promise<void>;
}
export interface StartOptions {
  settings?: Record<string, unknown>;
  profile?: Profile;
  vsix?: string;
  smokeTestDriver?: boolean;
  port?: number;
  host?: string;
  folder?: string;
  echo?: boolean;
  disableWorkspaceTrust?: boolean;
  keepProfile?: boolean;
  timeoutMs?: number;
  env?: Record<string, string>;
}
export function freePort(): Promise<number>;
export const LAUNCHER_SETTINGS: Record<string, unknown>;
/** The one line `npm start` prints about where `@qwq` (VS Code chat) is available. */
export const CHAT_NOTICE: string;
export function makeProfile(opts?: { settings?: Record<string, unknown>; dir?: string; workspaceTrust?: boolean }): Profile;
export function installVsix(vsix: string, profile: Profile): string;
export function startCodeServer(opts?: StartOptions): Promise<CodeServer>;
export function remoteAuthority(url: string): Promise<string>;
export function workbenchUrl(url: string, opts?: { folder?: string; payload?: Array<[string, string]> }): string;
export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: string[];
export function launchChromium(opts?: { headless?: boolean }): Promise<Browser>;
export function killGroup(pgid: number, signal: NodeJS.Signals): void;
/** Node 24 from .tools/ (code-server's runtime) and code-server's entry point. */
export const node24Bin: string;
export const codeServerEntry: string;
export function installTools(opts?: { quiet?: boolean; dir?: string }): string;
