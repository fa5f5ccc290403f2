// How a model state is shown: the status bar item and the "no model" message. Pure; unit-tested.
import type { ModelState } from '../../protocol/messages';

export interface StatusPresentation {
  text: string;
  tooltip: string;
  /** Command the item runs on click: the next useful step for this state. */
  command: string;
  /** 'error' and 'warning' map to the status bar's error/warning backgrounds. */
  severity?: 'error' | 'warning';
}

/** A short name for a model source: the file name of a path, or the repo:quant of an hf: URI. */
export function shortModelName(source: string): string {
  if (source.startsWith('hf:')) return source.slice(3).split('/').pop() ?? source;
  return source.split(/[\\/]/).pop() || source;
}

export function statusPresentation(s: ModelState): StatusPresentation {
  switch (s.kind) {
    case 'not-configured':
      return { text: '$(circle-slash) QwQ: no model', tooltip: 'No model is configured. Click to select or download one.', command: 'qwq.selectModel', severity: 'warning' };
    case 'not-downloaded':
      return { text: '$(cloud-download) QwQ: not downloaded', tooltip: `${s.model} is not downloaded yet. Click to download it.`, command: 'qwq.downloadModel', severity: 'warning' };
    case 'missing-file':
      return { text: '$(warning) QwQ: model file missing', tooltip: `The model file ${s.model} does not exist. Click to select another model.`, command: 'qwq.selectModel', severity: 'error' };
    case 'unloaded':
      return { text: '$(hubot) QwQ', tooltip: `${s.model}: loads on first use.`, command: 'qwq.openPanel' };
    case 'downloading':
      return { text: `$(sync~spin) QwQ: downloading ${Math.floor(s.percent)}%`, tooltip: `Downloading ${s.model}`, command: 'qwq.openPanel' };
    case 'loading':
      return { text: '$(loading~spin) QwQ: loading', tooltip: `Loading ${s.model}`, command: 'qwq.openPanel' };
    case 'ready':
      return { text: '$(hubot) QwQ: ready', tooltip: `${s.model} is loaded.`, command: 'qwq.openPanel' };
    case 'busy':
      return { text: `$(loading~spin) QwQ: ${s.tokensPerSecond !== undefined ? `${s.tokensPerSecond.toFixed(1)} tok/s` : 'busy'}`, tooltip: `${s.model} is working. Click to open the reasoning panel.`, command: 'qwq.openPanel' };
    case 'error':
      return { text: '$(error) QwQ: error', tooltip: s.message, command: 'qwq.showLog', severity: 'error' };
  }
}

/** The sentence shown when a task needs the model and it is not usable; undefined when it is usable. */
export function unavailableMessage(s: ModelState): string | undefined {
  switch (s.kind) {
    case 'not-configured':
      return 'QwQ Coder has no model configured. Download QwQ-32B (about 20 GB) or select a GGUF file you already have.';
    case 'not-downloaded':
      return `The model ${s.model} is not downloaded yet. Download it, or select a GGUF file you already have.`;
    case 'missing-file':
      return `The model file ${s.model} does not exist. Download QwQ-32B, or select another GGUF file (setting qwq.model).`;
    case 'downloading':
      return `The model ${s.model} is still downloading (${Math.floor(s.percent)}%).`;
    default:
      return undefined;
  }
}
