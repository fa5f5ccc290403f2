// A tiny element builder: the panel is small enough that a framework would cost more than it saves.

type Child = Node | string | false | null | undefined;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string>; attrs?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const { dataset, attrs, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  if (dataset) for (const [k, v] of Object.entries(dataset)) node.dataset[k] = v;
  if (attrs) for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== false && c !== null && c !== undefined) node.append(c);
  return node;
}

export function button(label: string, onClick: () => void, opts: { className?: string; key: string; title?: string }): HTMLButtonElement {
  const b = el('button', { className: opts.className ?? '', textContent: label, title: opts.title ?? '', dataset: { key: opts.key } });
  b.addEventListener('click', onClick);
  return b;
}
