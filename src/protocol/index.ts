// The typed messages between the extension and the panel, and the panel's state and its reducer.
export * from './define';
export * from './messages';
export * from './panelState';
export * from './modelName';
export * from './cards';
// The core's verdict sentences: an id and arguments on the wire, rendered (and translated) by each view.
export { renderMessage, type Message } from '../core/verify/messages';
