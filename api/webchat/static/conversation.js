// The conversation: sending the person's messages (again, after a failure), answers and staff
// replies as they come, and the conversation so far when the page is opened again.
// Nothing here ever times out: a person may take as long as they like.

import { hideProblem, showProblem } from "./contacts.js";
import { deleting } from "./erase.js";
import { district, postMessage, staffMessages, transcript } from "./gateway.js";
import {
  add,
  clearInputError,
  dropChoices,
  renderAll,
  rerender,
  showInView,
  showInputError,
} from "./render.js";
import { save, state, unsent } from "./state.js";
import { CHAT, SENDER, fromDistrict } from "./text.js";
import { ui } from "./ui.js";

const FROM_DISTRICT = new Set(["staff", "notice"]); // delivered like staff replies, with ids

let sending = false;
let polling = false;
let restoring = false;

const districtNames = new Map();

async function districtLabel(slug) {
  const fallback = SENDER.staff;
  if (!slug) return fallback;
  if (!districtNames.has(slug)) {
    try {
      const found = await district(slug);
      districtNames.set(slug, found && found.name ? found.name : null);
    } catch {
      return fallback;
    }
  }
  const name = districtNames.get(slug);
  if (!name) return fallback;
  return fromDistrict(name);
}

/** Send what is waiting, oldest first; on trouble, keep it and say so. */
export async function flush() {
  if (sending) return;
  sending = true;
  hideProblem();
  try {
    for (let entry = unsent()[0]; entry; entry = unsent()[0]) {
      entry.state = "sending";
      rerender(entry);
      ui.status.textContent = CHAT.writing;
      let result;
      try {
        result = await postMessage(entry.send ?? entry.text);
      } catch (error) {
        if (error.status === 422) {
          refuse(entry, error.detail);
          continue;
        }
        for (const waiting of unsent()) {
          waiting.state = "failed";
          rerender(waiting);
        }
        ui.status.textContent = "";
        showProblem(error);
        return;
      }
      delete entry.state;
      rerender(entry);
      let first = null;
      for (const message of result.messages || []) {
        const element = await receive(message);
        first = first || element;
      }
      if (result.forwarded_to_staff) {
        first =
          first ||
          add({
            sender: "notice",
            text: CHAT.forwarded,
          });
      }
      showInView(first);
    }
    ui.status.textContent = "";
  } finally {
    sending = false;
  }
}

function refuse(entry, detail) {
  // The gateway would not take the text (empty or too long): give it back to be changed.
  const index = state.transcript.indexOf(entry);
  state.transcript.splice(index, 1);
  save();
  renderAll();
  if (entry.send === undefined || entry.send === entry.text) {
    ui.input.value = entry.text + (ui.input.value ? `\n${ui.input.value}` : "");
    saveDraft();
  }
  showInputError(detail || CHAT.refused);
}

async function entryFor(message) {
  // A message from the gateway, as the page shows it.
  const text = message.text || "";
  if (message.sender === "staff") {
    const label = await districtLabel(message.district);
    return { sender: "staff", text, label, sentAt: message.sent_at };
  }
  if (message.sender === "notice") {
    return { sender: "notice", text, label: SENDER.noticeAboutCase, sentAt: message.sent_at };
  }
  if (message.sender === "person") return { sender: "user", text };
  return {
    sender: "assistant",
    text,
    alert: message.alert || null,
    buttons: (message.buttons || []).filter((b) => b && b.title && b.payload),
    feedback: message.feedback ? { ...message.feedback } : null,
  };
}

function seen(message) {
  // True when a staff message was shown already; otherwise it counts as shown from now.
  if (!FROM_DISTRICT.has(message.sender) || typeof message.id !== "number") return false;
  if (message.id <= state.staffAfter) return true;
  state.staffAfter = message.id;
  return false;
}

async function receive(message) {
  if (seen(message)) return null;
  return add(await entryFor(message));
}

/** The person says `title` (a choice's `payload` goes to the assistant instead, when given). */
export function submit(title, payload) {
  const text = title.trim();
  if (!text) {
    showInputError(CHAT.empty);
    return;
  }
  clearInputError();
  dropChoices();
  ui.privacy.open = false;
  const entry = { sender: "user", text, state: "sending" };
  if (payload !== undefined) entry.send = payload;
  showInView(add(entry));
  ui.input.focus();
  flush();
}

export function saveDraft() {
  state.draft = ui.input.value;
  save();
}

/** Staff replies since the last one seen. */
export async function poll() {
  // A tab in the background is not polled; it catches up as soon as it is shown again.
  if (polling || restoring || deleting || !state.conversationId || document.hidden) return;
  polling = true;
  const cid = state.conversationId;
  try {
    const data = await staffMessages(cid, state.staffAfter);
    if (cid !== state.conversationId) return;
    let first = null;
    for (const message of (data && data.messages) || []) {
      const element = await receive({ ...message, sender: message.sender || "staff" });
      first = first || element;
    }
    showInView(first);
  } catch {
    // Quiet: the next poll tries again; sending shows any real trouble.
  } finally {
    polling = false;
  }
}

/** The conversation so far, from the server: this device keeps only its id. */
export async function restore() {
  const cid = state.conversationId;
  if (!cid) return;
  restoring = true;
  ui.status.textContent = CHAT.restoring;
  try {
    const data = await transcript(cid);
    if (cid !== state.conversationId) return;
    const earlier = [];
    for (const message of (data && data.messages) || []) {
      seen(message);
      earlier.push(await entryFor(message));
    }
    // Only the last reply's choices still fit the conversation.
    earlier.slice(0, -1).forEach((entry) => {
      if (entry.buttons) entry.buttons = [];
    });
    state.transcript = [...earlier, ...state.transcript];
    save();
    renderAll();
    ui.status.textContent = "";
    const last = ui.log.lastElementChild;
    if (earlier.length && last) last.scrollIntoView({ block: "nearest" });
  } catch {
    ui.status.textContent = CHAT.notRestored;
  } finally {
    restoring = false;
  }
}
