// What the chat keeps in this browser's localStorage, so that a reload or a closed tab loses
// nothing: the conversation id (its key on the server), the last staff message seen, messages
// not yet sent, and an unsent draft. The conversation's text stays on the server.

const STORE_KEY = "seniorveiviser.chat.v1";

function emptyState() {
  // transcript entries (on the screen only): {sender: "user"|"assistant"|"staff"|"notice", text,
  //   buttons?, send?, state?: "sending"|"failed", label?, sentAt?,
  //   feedback?: {service, aspect, language, given?: true|false}}
  return { conversationId: null, staffAfter: 0, transcript: [], draft: "" };
}

function loadState() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    if (saved && typeof saved === "object") {
      const pending = Array.isArray(saved.pending) ? saved.pending : [];
      return {
        conversationId: typeof saved.conversationId === "string" ? saved.conversationId : null,
        staffAfter: Number(saved.staffAfter) || 0,
        draft: typeof saved.draft === "string" ? saved.draft : "",
        transcript: pending
          .filter((entry) => entry && typeof entry.text === "string")
          .map((entry) => ({ sender: "user", text: entry.text, send: entry.send, state: "failed" })),
      };
    }
  } catch {
    // A damaged or unavailable store: start afresh.
  }
  return emptyState();
}

export let state = loadState();

/** The person's messages not sent yet (sending, or failed). */
export function unsent() {
  return state.transcript.filter((entry) => entry.sender === "user" && entry.state);
}

export function save() {
  const kept = {
    conversationId: state.conversationId,
    staffAfter: state.staffAfter,
    draft: state.draft,
    pending: unsent().map(({ text, send }) => ({ text, send })),
  };
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(kept));
  } catch {
    // Private browsing may refuse storage; the chat still works until the page is reloaded.
  }
}

/** Start afresh, keeping nothing in this browser. */
export function forget() {
  state = emptyState();
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    // Nothing was kept.
  }
}
