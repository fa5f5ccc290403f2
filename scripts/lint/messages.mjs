// Lint rule `qwq/messages` (docs/architecture.md §9, "a message"): every message between the extension and the
// panel is defined with the schema its receiver parses it by, and is built by create() from that definition. A
// definition without a schema would let a payload through unchecked; a hand-written `{ type, payload }` object
// posts a shape no definition typed.

/** `defineMessage(…)` or `x.defineMessage(…)`. */
const isDefineMessage = (callee) => (callee.type === 'Identifier' && callee.name === 'defineMessage')
  || (callee.type === 'MemberExpression' && !callee.computed && callee.property.name === 'defineMessage');

/** `post(…)`, `postMessage(…)`, or either as a method (`this.post`, `webview.postMessage`). */
const POSTERS = new Set(['post', 'postMessage']);
const isPost = (callee) => (callee.type === 'Identifier' && POSTERS.has(callee.name))
  || (callee.type === 'MemberExpression' && !callee.computed && POSTERS.has(callee.property.name));

const isMissing = (arg) => !arg || (arg.type === 'Identifier' && arg.name === 'undefined') || (arg.type === 'Literal' && arg.value === null);

/** An object literal with a `type` key: a message written by hand. */
const isRawMessage = (arg) => arg?.type === 'ObjectExpression'
  && arg.properties.some((p) => p.type === 'Property' && !p.computed && ((p.key.type === 'Identifier' && p.key.name === 'type') || (p.key.type === 'Literal' && p.key.value === 'type')));

export const messages = {
  meta: {
    type: 'problem',
    docs: { description: 'A message is defined with its payload schema and posted through create(). See docs/architecture.md §9.' },
    schema: [],
    messages: {
      noSchema: "defineMessage needs the payload's schema as its second argument (defineMessage('tag', v.object({ … }))): the receiver parses every message by it. See docs/architecture.md §9.",
      raw: 'Post a message built by create(Definition, payload), not an object literal: create() types the payload by its definition, whose schema the receiver checks. See docs/architecture.md §9.',
    },
  },
  create(context) {
    return {
      CallExpression(node) {
        if (isDefineMessage(node.callee) && isMissing(node.arguments[1])) context.report({ node, messageId: 'noSchema' });
        else if (isPost(node.callee) && isRawMessage(node.arguments[0])) context.report({ node: node.arguments[0], messageId: 'raw' });
      },
    };
  },
};
