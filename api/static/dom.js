// Building the page from data. Text is always put in as text, never as HTML.

export const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes (never HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** `message` in the node, shown; an empty message hides it. */
export function showNotice(node, message) {
  node.textContent = message || "";
  node.hidden = !message;
}

/** Tell screen readers `message` through the page's #status. */
export function say(message) {
  // Clearing first makes screen readers announce the same message twice in a row.
  const status = $("status");
  status.textContent = "";
  window.setTimeout(() => {
    status.textContent = message;
  }, 50);
}
