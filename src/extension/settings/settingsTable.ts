// Every qwq.* setting in one table: its scope, validator, what a change needs reloaded, and whether a
// workspace may set it in Restricted Mode. Defaults live only in package.json (contributes.configuration);
// the manifest's restricted list and the reload lists are derived from here, and a unit test compares them.
// Adding a setting: one row here, one entry in package.json (docs/architecture.md, "How to add a setting").
import { contributes } from '../../../package.json';

/** package.json's scopes; `resource` settings differ per workspace folder (multi-root). */
export type SettingScope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource' | 'language-overridable';

/** What must load again when the setting changes. */
export type ReloadClass = 'model' | 'inline';

/** A validator returns the value it accepts, or undefined for a value out of range (the default is used). */
export type Validator<T> = (raw: unknown) => T | undefined;

export interface SettingSpec<T> {
  readonly scope: SettingScope;
  readonly validate: Validator<T>;
  readonly reload?: readonly ReloadClass[];
  /** Names a model, a server or a command: never taken from an untrusted workspace. */
  readonly restricted?: true;
}

const integer = (min: number): Validator<number> => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? v : undefined);
const boolean: Validator<boolean> = (v) => (typeof v === 'boolean' ? v : undefined);
const trimmed: Validator<string> = (v) => (typeof v === 'string' ? v.trim() : undefined);
const stringList: Validator<string[]> = (v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
const oneOf = <T extends string>(...values: T[]): Validator<T> => (v) => (values.includes(v as T) ? v as T : undefined);
/** Header maps: string values only (a number would be sent as "3" by one server library and refused by another). */
const stringRecord: Validator<Record<string, string>> = (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
};

const row = <T>(scope: SettingScope, validate: Validator<T>, more: Omit<SettingSpec<T>, 'scope' | 'validate'> = {}): SettingSpec<T> => ({ scope, validate, ...more });
const MODEL: ReloadClass[] = ['model'];
const BOTH: ReloadClass[] = ['model', 'inline'];

/** The table, keyed without the `qwq.` prefix. */
export const SETTINGS = {
  'model.provider': row('machine-overridable', oneOf('local', 'server'), { reload: MODEL, restricted: true }),
  'model.source': row('machine-overridable', trimmed, { reload: MODEL, restricted: true }),
  'model.contextSize': row('machine-overridable', integer(0), { reload: MODEL }),
  'model.threads': row('machine', integer(0), { reload: BOTH }),
  'server.url': row('machine-overridable', trimmed, { reload: BOTH, restricted: true }),
  'server.model': row('machine-overridable', trimmed, { reload: MODEL, restricted: true }),
  'server.headers': row('machine', stringRecord, { reload: BOTH, restricted: true }),
  'agent.thoughtBudget': row('resource', integer(0)),
  'agent.maxRounds': row('resource', integer(1)),
  'tests.command': row('resource', trimmed, { restricted: true }),
  'tests.timeoutSeconds': row('resource', integer(1)),
  'tests.sandbox': row('machine', boolean, { restricted: true }),
  'tests.network': row('machine', boolean, { restricted: true }),
  'tests.env': row('machine', stringList, { restricted: true }),
  'inline.enabled': row('window', boolean),
  'inline.model': row('machine-overridable', trimmed, { reload: ['inline'], restricted: true }),
  'inline.serverModel': row('machine-overridable', trimmed, { reload: ['inline'], restricted: true }),
  'inline.verify': row('window', oneOf('off', 'background')),
  'inline.debounceMs': row('window', integer(0)),
  'speculative.draftModel': row('machine-overridable', trimmed, { reload: MODEL, restricted: true }),
  'speculative.draftMinTokens': row('machine-overridable', integer(0), { reload: MODEL }),
  'speculative.promptLookup': row('machine-overridable', boolean, { reload: MODEL }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends SettingSpec<infer T> ? T : never;

const KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The manifest's contributes.configuration, as the defaults' single source. */
const manifestProperties = contributes.configuration.properties as Record<string, { default?: unknown; scope?: string } | undefined>;

/** The manifest default of a key (`qwq.` + key in package.json). */
export function manifestDefault<K extends SettingKey>(key: K): SettingValue<K> {
  const value = SETTINGS[key].validate(manifestProperties[`qwq.${key}`]?.default);
  if (value === undefined) throw new Error(`package.json has no valid default for qwq.${key}`);
  return value as SettingValue<K>;
}

/** Full ids (`qwq.…`) of the settings that a workspace may not set in Restricted Mode (package.json capabilities). */
export const RESTRICTED_SETTINGS: readonly string[] = KEYS.filter((k) => SETTINGS[k].restricted).map((k) => `qwq.${k}`);

/** Full ids of the settings whose change needs the given model loaded again. */
export function reloadSettings(kind: ReloadClass): readonly string[] {
  return KEYS.filter((k) => (SETTINGS[k] as SettingSpec<unknown>).reload?.includes(kind)).map((k) => `qwq.${k}`);
}
