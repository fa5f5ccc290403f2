// Packages every Node bundle leaves outside (native or wasm-loading ones ship in node_modules inside the
// .vsix): the extension's and the CLI's (scripts/build.mjs) and the extension-host test suite's.
export const nodeExternals = ['vscode', 'node-llama-cpp', '@node-llama-cpp/*', 'web-tree-sitter'];
