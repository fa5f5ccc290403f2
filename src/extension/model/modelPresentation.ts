// How a model state is shown: the status bar item and the "no model" message. Pure; unit-tested.
import type { ModelState } from '../../protocol';
import { l10n } from '../l10n';
import { DEMO_MODEL_LABEL, isDemoModel, shortModelName } from '../../protocol';

export { shortModelName };

export interface StatusPresentation {
  text: string;
  tooltip: string;
  /** Command the item runs on click: the next useful step for this state. */
  command: string;
  /** 'error' and 'warning' map to the status bar's error/warning backgrounds. */
  severity?: 'error' | 'warning';
}

/** The model as a tooltip names it: its full source, and what it is when it is one of the sample's demo models. */
function fullName(model: string): string {
  return isDemoModel(model) ? `${model} (${DEMO_MODEL_LABEL})` : model;
}

/** How the status bar item shows a model state. */
export function statusPresentation(s: ModelState): StatusPresentation {
  switch (s.kind) {
    case 'not-configured':
      return { text: `$(circle-slash) ${l10n.t('QwQ: no model')}`, tooltip: l10n.t('No model is configured. Click to select or download one.'), command: 'qwq.selectModel', severity: 'warning' };
    case 'not-downloaded':
      return { text: `$(cloud-download) ${l10n.t('QwQ: not downloaded')}`, tooltip: l10n.t('{0} is not downloaded yet. Click to download it.', s.model), command: 'qwq.downloadModel', severity: 'warning' };
    case 'missing-file':
      return { text: `$(warning) ${l10n.t('QwQ: model file missing')}`, tooltip: l10n.t('The model file {0} does not exist. Click to select another model.', s.model), command: 'qwq.selectModel', severity: 'error' };
    case 'unloaded':
      return { text: '$(hubot) QwQ', tooltip: l10n.t('{0}: loads on first use.', fullName(s.model)), command: 'qwq.openPanel' };
    case 'downloading':
      return { text: `$(sync~spin) ${l10n.t('QwQ: downloading {0}%', Math.floor(s.percent))}`, tooltip: l10n.t('Downloading {0}', s.model), command: 'qwq.openPanel' };
    case 'loading':
      return { text: `$(loading~spin) ${l10n.t('QwQ: loading')}`, tooltip: l10n.t('Loading {0}', fullName(s.model)), command: 'qwq.openPanel' };
    case 'ready':
      return { text: `$(hubot) ${l10n.t('QwQ: ready')}`, tooltip: l10n.t('{0} is loaded.', fullName(s.model)), command: 'qwq.openPanel' };
    case 'busy':
      return { text: `$(loading~spin) ${s.tokensPerSecond !== undefined ? l10n.t('QwQ: {0} tok/s', s.tokensPerSecond.toFixed(1)) : l10n.t('QwQ: busy')}`, tooltip: l10n.t('{0} is working. Click to open the reasoning panel.', fullName(s.model)), command: 'qwq.openPanel' };
    case 'error':
      return { text: `$(error) ${l10n.t('QwQ: error')}`, tooltip: s.message, command: 'qwq.showLog', severity: 'error' };
  }
}

/** The sentence shown when a task needs the model and it is not usable; undefined when it is usable. */
export function unavailableMessage(s: ModelState): string | undefined {
  switch (s.kind) {
    case 'not-configured':
      return l10n.t('QwQ Coder has no model configured. Download QwQ-32B (about 20 GB) or select a GGUF file you already have.');
    case 'not-downloaded':
      return l10n.t('The model {0} is not downloaded yet. Download it, or select a GGUF file you already have.', s.model);
    case 'missing-file':
      return l10n.t('The model file {0} does not exist. Download QwQ-32B, or select another GGUF file (setting qwq.model).', s.model);
    case 'downloading':
      return l10n.t('The model {0} is still downloading ({1}%).', s.model, Math.floor(s.percent));
    default:
      return undefined;
  }
}
