// Preloaded (`--import`) into every node:test process by scripts/test.mjs.
// node --test marks each test file's process with NODE_TEST_CONTEXT so that it reports back over a pipe. A test
// that starts another Node process (a CLI run, a fixture's `node --test`) would pass the mark on, and that process
// would then report in the runner's wire format instead of its own output. Loading node:test first makes this
// process read (and keep) its own mark; removing it from the environment afterwards keeps children clean.
await import('node:test');
delete process.env.NODE_TEST_CONTEXT;
