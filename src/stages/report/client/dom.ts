/**
 * The only way the report script creates elements. Text goes in through textContent, never as
 * HTML, so model, user and judge text cannot become markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string | null,
  text?: string | number | null,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Plain text as a DOM node (no element around it). */
export function textNode(text: string): Text {
  return document.createTextNode(text);
}
