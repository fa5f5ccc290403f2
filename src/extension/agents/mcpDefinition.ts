// The MCP server definition VS Code starts (docs/architecture.md, "Other agents"), as plain data: the bundled
// CLI's `mcp` command under the editor's own Node, `--no-verify` in an untrusted workspace. Pure (unit-tested).
import { join } from 'node:path';

export interface McpDefinitionShape {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  version: string;
}

/** The definition, as plain data (the unit test reads it without VS Code). */
export function mcpDefinition(extensionPath: string, version: string, trusted: boolean, folder: string | undefined, execPath = process.execPath): McpDefinitionShape {
  return {
    label: 'QwQ Coder',
    command: execPath,
    args: [join(extensionPath, 'out', 'cli.js'), 'mcp', ...(trusted ? [] : ['--no-verify'])],
    // The extension host's binary is Electron in desktop VS Code: this makes it a plain Node.
    env: { ELECTRON_RUN_AS_NODE: '1' },
    ...(folder ? { cwd: folder } : {}),
    version: `${version}${trusted ? '' : '-readonly'}`,
  };
}
