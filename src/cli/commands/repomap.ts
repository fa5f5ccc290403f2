// `qwq-coder repomap --workspace W --budget N [--file F] [--task T] [--json]`: the workspace's ranked outline
// (files and their signatures, by personalized PageRank over the reference graph) within N tokens.
import { resolve } from 'node:path';
import { optionalInt, workspaceFile, type CliCommand } from '../command';
import { disposeSharedPool } from '../../core/context';
import { ContextEngine } from '../../core/context';
import { renderRepoMap } from '../../core/context';
import { requireDirectory } from './context';

export const repomapCommand: CliCommand = {
  async run(args, io) {
    const workspace = resolve(io.cwd, typeof args.values.workspace === 'string' ? args.values.workspace : '.');
    const budget = optionalInt(args, 'budget', 1) ?? 1024;
    await requireDirectory(workspace);
    const engine = new ContextEngine(workspace);
    try {
      const map = await engine.repoMapSnippets({
        budget,
        focusFile: typeof args.values.file === 'string' ? workspaceFile(workspace, io.cwd, args.values.file) : undefined,
        task: typeof args.values.task === 'string' ? args.values.task : undefined,
      });
      if (args.values.json === true) {
        const snippets = map.snippets.map((s) => ({ path: s.path, startLine: s.startLine, endLine: s.endLine, kind: s.kind, symbol: s.symbol ?? null, text: s.text }));
        io.stdout(`${JSON.stringify({ snippets, tokens: map.tokens })}\n`);
      } else io.stdout(`${renderRepoMap(map.snippets)}\n`);
      return 0;
    } finally {
      engine.dispose();
      // The answer is written: no warm worker may keep the process alive.
      disposeSharedPool();
    }
  },
};
