// Settings: the table (settingsTable.ts) and the typed reads over it (readSettings.ts).
export { readSetting, readSettings, workspaceSetRestrictedKeys, type ConfigurationSource, type QwqSettings, type ServerSettings, type SpeculativeSettings } from './readSettings';
export { manifestDefault, reloadSettings, RESTRICTED_SETTINGS, SETTINGS, type ReloadClass, type SettingKey, type SettingScope, type SettingSpec } from './settingsTable';
