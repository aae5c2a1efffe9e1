// The web chat for seniors. Plain JavaScript, no build step, no framework.
// It talks only to the API's chat gateway (docs/chat-api.md), never to Rasa.
//
// What it keeps in this browser's localStorage, so that a reload or a closed tab loses nothing:
// the conversation id (its key on the server), the last staff message seen, messages not yet
// sent, and an unsent draft. The conversation's text stays on the server: the page fetches it
// again (GET …/transcript), staff replies included. "Slett samtalen" erases both.
// Nothing here ever times out: a person may take as long as they like.

const API = "/api";
const STORE_KEY = "seniorveiviser.chat.v1";
const TEXT_SIZE_KEY = "seniorveiviser.textsize";
const POLL_SECONDS = 4;

const CONTACT_TITLES = {
  emergency: "Nødnummer – når det er fare for liv og helse",
  legevakt: "Legevakten – akutt, men ikke livstruende",
  switchboard: "Oslo kommune – sentralbordet når alle bydeler",
};
const CONTACT_ORDER = ["emergency", "legevakt", "switchboard"];

const $ = (id) => document.getElementById(id);
const ui = {
  log: $("log"),
  status: $("status"),
  problem: $("problem"),
  problemText: $("problem-text"),
  retry: $("retry"),
  form: $("composer"),
  input: $("message"),
  inputError: $("message-error"),
  privacy: $("privacy"),
  emergency: $("emergency"),
  callToggle: $("call-toggle"),
  callPanel: $("call-panel"),
  callStatus: $("call-status"),
  callList: $("call-list"),
  deleteOpen: $("delete-open"),
  deleteDialog: $("delete-dialog"),
  deleteConfirm: $("delete-confirm"),
  deleteCancel: $("delete-cancel"),
  deleteError: $("delete-error"),
  textSize: $("text-size"),
};

// ---------------------------------------------------------------- state

function emptyState() {
  // transcript entries (on the screen only): {sender: "user"|"assistant"|"staff"|"notice", text,
  //   buttons?, send?, state?: "sending"|"failed", label?, sentAt?}
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

let state = loadState();

function save() {
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

function forget() {
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    // Nothing was kept.
  }
}

// ---------------------------------------------------------------- the gateway

class GatewayError extends Error {
  constructor(kind, status = 0, detail = "") {
    super(detail || kind);
    this.kind = kind; // "network" | "unavailable" | "invalid" | "gone" | "busy"
    this.status = status;
    this.detail = detail;
  }
}

async function call(method, path, body) {
  const options = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, options);
  } catch {
    throw new GatewayError("network");
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return data;
  const detail = (data && typeof data.detail === "string" && data.detail) || "";
  if (response.status === 422) throw new GatewayError("invalid", 422, detail);
  if (response.status === 404) throw new GatewayError("gone", 404, detail);
  if (response.status === 429) throw new GatewayError("busy", 429, detail);
  throw new GatewayError("unavailable", response.status, detail);
}

async function ensureConversation() {
  if (!state.conversationId) {
    const created = await call("POST", "/chat/conversations");
    state.conversationId = created.conversation_id;
    state.staffAfter = 0;
    save();
  }
  return state.conversationId;
}

const conversationPath = (cid) => `/chat/conversations/${encodeURIComponent(cid)}`;

async function postMessage(text) {
  const cid = await ensureConversation();
  try {
    return await call("POST", `${conversationPath(cid)}/messages`, { text });
  } catch (error) {
    if (error.kind !== "gone") throw error;
    // The server no longer knows this conversation: start a new one and send again.
    state.conversationId = null;
    save();
    const fresh = await ensureConversation();
    return call("POST", `${conversationPath(fresh)}/messages`, { text });
  }
}

// ---------------------------------------------------------------- contacts

let contacts = [];

function contactList(data) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data.items)) return data.items;
  if (data && Array.isArray(data.contacts)) return data.contacts;
  return [];
}

const byKey = (key) => contacts.find((contact) => contact.key === key && contact.phone);
const telHref = (phone) => `tel:${phone.replace(/[^+\d]/g, "")}`;

function phoneLink(contact, className = "") {
  const link = document.createElement("a");
  link.href = telHref(contact.phone);
  link.textContent = contact.phone;
  if (className) link.className = className;
  return link;
}

async function loadContacts() {
  ui.callStatus.hidden = false;
  ui.callStatus.textContent = "Henter telefonnumrene …";
  try {
    contacts = contactList(await call("GET", "/contacts")).filter((c) => c && c.phone);
  } catch {
    contacts = [];
  }
  renderContacts();
}

function renderContacts() {
  ui.callList.replaceChildren();
  if (!contacts.length) {
    ui.callStatus.hidden = false;
    ui.callStatus.textContent =
      "Vi fikk ikke hentet telefonnumrene akkurat nå. Lukk og åpne «Ring oss heller» for å prøve igjen.";
    return;
  }
  ui.callStatus.hidden = true;
  const rank = (contact) => {
    const index = CONTACT_ORDER.indexOf(contact.key);
    return index === -1 ? CONTACT_ORDER.length : index;
  };
  for (const contact of [...contacts].sort((a, b) => rank(a) - rank(b))) {
    const item = document.createElement("li");
    item.className = `call-list__item${contact.key === "emergency" ? " call-list__item--emergency" : ""}`;
    const title = document.createElement("p");
    title.className = "call-list__title";
    title.textContent = CONTACT_TITLES[contact.key] || contact.label || "Telefon";
    item.append(title, phoneLink(contact, "call-list__phone"));
    if (contact.opening_hours) {
      const hours = document.createElement("p");
      hours.className = "call-list__hours";
      hours.textContent = contact.opening_hours;
      item.append(hours);
    }
    ui.callList.append(item);
  }
  const emergency = byKey("emergency");
  if (emergency) {
    ui.emergency.replaceChildren(
      "Er det fare for liv og helse? Ring ",
      phoneLink(emergency, "emergency__phone"),
      ".",
    );
    ui.emergency.hidden = false;
  }
  if (problem) showProblem(problem); // now with the switchboard's number
}

function toggleCallPanel() {
  const open = ui.callToggle.getAttribute("aria-expanded") !== "true";
  ui.callToggle.setAttribute("aria-expanded", String(open));
  ui.callPanel.hidden = !open;
  if (open) {
    if (!contacts.length) loadContacts();
    ui.callPanel.scrollIntoView({ block: "nearest" });
  }
}

// ---------------------------------------------------------------- districts

const districtNames = new Map();

async function districtLabel(slug) {
  const fallback = "Fra en ansatt i bydelen";
  if (!slug) return fallback;
  if (!districtNames.has(slug)) {
    try {
      const district = await call("GET", `/districts/${encodeURIComponent(slug)}`);
      districtNames.set(slug, district && district.name ? district.name : null);
    } catch {
      return fallback;
    }
  }
  const name = districtNames.get(slug);
  if (!name) return fallback;
  return `Fra ${/^bydel\b/i.test(name) ? name : `Bydel ${name}`}`;
}

// ---------------------------------------------------------------- rendering

// Web addresses, and Norwegian phone numbers: 113, 116 117, 02180, eight digits (grouped or not);
// first, a link written [words](https://…), shown as its words (a short source).
const LINK_PATTERN =
  /\[([^\]\n]{1,120})\]\((https:\/\/[^\s()<>"]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"»])|(?<!\d)((?:\+47 ?)?(?:\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3})|116 ?117|02180|11[023])(?![\d])/g;

function linkTo(match) {
  const link = document.createElement("a");
  link.textContent = match[1] || match[0];
  const address = match[2] || match[3];
  if (address) {
    link.href = address;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
  } else {
    link.href = telHref(match[4]);
    link.className = "tel";
  }
  return link;
}

function appendText(parent, text) {
  // Paragraphs on blank lines, line breaks on single ones; links and phone numbers you can tap.
  for (const block of String(text).split(/\n{2,}/)) {
    const paragraph = document.createElement("p");
    block.split("\n").forEach((line, index) => {
      if (index) paragraph.append(document.createElement("br"));
      let last = 0;
      for (const match of line.matchAll(LINK_PATTERN)) {
        paragraph.append(line.slice(last, match.index), linkTo(match));
        last = match.index + match[0].length;
      }
      paragraph.append(line.slice(last));
    });
    parent.append(paragraph);
  }
}

function senderLabel(entry) {
  if (entry.sender === "user") return "Du";
  if (entry.sender === "staff") return entry.label || "Fra en ansatt i bydelen";
  if (entry.sender === "notice") return entry.label || "Til deg";
  return "Seniorveiviser";
}

function timeText(iso) {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return "";
  return `kl. ${date.toLocaleTimeString("nb-NO", { hour: "2-digit", minute: "2-digit" })}`;
}

function renderEntry(entry, index) {
  const item = document.createElement("div");
  item.className = `msg msg--${entry.sender}`;
  if (entry.alert === "emergency") {
    // 113: an alert in Punkt's style, read out at once by screen readers.
    item.classList.add("msg--emergency", "pkt-alert", "pkt-alert--error");
    item.setAttribute("role", "alert");
  }
  item.dataset.index = String(index);
  const previous = state.transcript[index - 1];
  const continues =
    previous && previous.sender === entry.sender && entry.sender === "assistant";
  const who = document.createElement("p");
  who.className = continues ? "msg__who visually-hidden" : "msg__who";
  who.textContent = senderLabel(entry);
  if (entry.sender === "staff" && entry.sentAt) {
    const when = document.createElement("span");
    when.className = "msg__time";
    when.textContent = ` ${timeText(entry.sentAt)}`;
    who.append(when);
  }
  const body = document.createElement("div");
  body.className = "msg__text";
  appendText(body, entry.text);
  item.append(who, body);
  if (entry.sender === "user" && entry.state) {
    const note = document.createElement("p");
    note.className = `msg__state msg__state--${entry.state}`;
    note.textContent = entry.state === "failed" ? "Ikke sendt ennå" : "Sender …";
    item.append(note);
  }
  if (entry.buttons && entry.buttons.length) {
    const choices = document.createElement("div");
    choices.className = "choices";
    choices.setAttribute("role", "group");
    choices.setAttribute("aria-label", "Svarvalg");
    for (const button of entry.buttons) {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.className = "pkt-btn pkt-btn--secondary choices__button";
      choice.textContent = button.title;
      choice.addEventListener("click", () => submit(button.title, button.payload));
      choices.append(choice);
    }
    item.append(choices);
  }
  return item;
}

function welcome() {
  const item = document.createElement("div");
  item.className = "msg msg--assistant msg--welcome";
  const who = document.createElement("p");
  who.className = "msg__who";
  who.textContent = "Seniorveiviser";
  const body = document.createElement("div");
  body.className = "msg__text";
  appendText(
    body,
    "Hei! Jeg svarer på spørsmål om hjelp for eldre i Oslo: hjemmesykepleie, trygghetsalarm, " +
      "dagsenter, praktisk hjelp og mye mer. Skriv spørsmålet ditt nederst på siden.",
  );
  item.append(who, body);
  return item;
}

function renderAll() {
  ui.log.replaceChildren(welcome(), ...state.transcript.map(renderEntry));
  ui.privacy.open = !state.transcript.some((entry) => entry.sender === "user");
}

function add(entry) {
  state.transcript.push(entry);
  save();
  const element = renderEntry(entry, state.transcript.length - 1);
  ui.log.append(element);
  return element;
}

function rerender(entry) {
  const index = state.transcript.indexOf(entry);
  const old = ui.log.querySelector(`[data-index="${index}"]`);
  if (old) old.replaceWith(renderEntry(entry, index));
  save();
}

function dropChoices() {
  // Old choices no longer fit the conversation once something new is said.
  let changed = false;
  for (const entry of state.transcript) {
    if (entry.buttons && entry.buttons.length) {
      entry.buttons = [];
      changed = true;
    }
  }
  if (changed) {
    for (const group of ui.log.querySelectorAll(".choices")) group.remove();
    save();
  }
}

function showInView(element) {
  if (element) element.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

// ---------------------------------------------------------------- problems

let problem = null;

function showProblem(error) {
  problem = error;
  const switchboard = byKey("switchboard");
  const parts = [];
  if (error.kind === "network") {
    parts.push("Vi får ikke kontakt med Seniorveiviser akkurat nå. Er du koblet til internett?");
  } else if (error.kind === "busy") {
    parts.push("Du sender veldig mange meldinger. Vent litt og prøv igjen.");
  } else {
    parts.push("Seniorveiviser kan ikke svare akkurat nå.");
  }
  parts.push("Det du skrev er ikke borte. Trykk «Prøv igjen» om litt");
  ui.problemText.replaceChildren(parts.join(" "));
  if (switchboard) {
    ui.problemText.append(", eller ring Oslo kommune på ", phoneLink(switchboard), ".");
  } else {
    ui.problemText.append(", eller trykk «Ring oss heller» øverst på siden.");
  }
  // The message may not have been read: 113 must not depend on the assistant answering.
  const emergency = byKey("emergency");
  ui.problemText.append(" Er det fare for liv, ring ");
  ui.problemText.append(emergency ? phoneLink(emergency) : "113", " nå.");
  ui.problem.hidden = false;
}

function hideProblem() {
  problem = null;
  ui.problem.hidden = true;
}

// ---------------------------------------------------------------- sending

let sending = false;

function unsent() {
  return state.transcript.filter((entry) => entry.sender === "user" && entry.state);
}

async function flush() {
  if (sending) return;
  sending = true;
  hideProblem();
  try {
    for (let entry = unsent()[0]; entry; entry = unsent()[0]) {
      entry.state = "sending";
      rerender(entry);
      ui.status.textContent = "Seniorveiviser skriver …";
      let result;
      try {
        result = await postMessage(entry.send ?? entry.text);
      } catch (error) {
        if (error.kind === "invalid") {
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
            text:
              "Meldingen din er sendt til en ansatt i bydelen. Svaret kommer her, på denne " +
              "enheten. Du kan lukke siden og komme tilbake.",
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
  ui.inputError.textContent = detail || "Meldingen kunne ikke sendes. Prøv å skrive den kortere.";
  ui.inputError.hidden = false;
  ui.input.setAttribute("aria-invalid", "true");
  ui.input.focus();
}

const FROM_DISTRICT = new Set(["staff", "notice"]); // delivered like staff replies, with ids

async function entryFor(message) {
  // A message from the gateway, as the page shows it.
  const text = message.text || "";
  if (message.sender === "staff") {
    const label = await districtLabel(message.district);
    return { sender: "staff", text, label, sentAt: message.sent_at };
  }
  if (message.sender === "notice") {
    return { sender: "notice", text, label: "Om saken din", sentAt: message.sent_at };
  }
  if (message.sender === "person") return { sender: "user", text };
  return {
    sender: "assistant",
    text,
    alert: message.alert || null,
    buttons: (message.buttons || []).filter((b) => b && b.title && b.payload),
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

function submit(title, payload) {
  const text = title.trim();
  if (!text) {
    ui.inputError.textContent = "Skriv et spørsmål først.";
    ui.inputError.hidden = false;
    ui.input.setAttribute("aria-invalid", "true");
    ui.input.focus();
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

function clearInputError() {
  ui.inputError.hidden = true;
  ui.inputError.textContent = "";
  ui.input.removeAttribute("aria-invalid");
}

function saveDraft() {
  state.draft = ui.input.value;
  save();
}

// ---------------------------------------------------------------- staff replies

let polling = false;

async function poll() {
  // A tab in the background is not polled; it catches up as soon as it is shown again.
  if (polling || restoring || deleting || !state.conversationId || document.hidden) return;
  polling = true;
  const cid = state.conversationId;
  try {
    const data = await call("GET", `${conversationPath(cid)}/messages?after=${state.staffAfter}`);
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

// ---------------------------------------------------------------- coming back

let restoring = false;

async function restore() {
  // The conversation so far, from the server: this device keeps only its id.
  const cid = state.conversationId;
  if (!cid) return;
  restoring = true;
  ui.status.textContent = "Henter samtalen din …";
  try {
    const data = await call("GET", `${conversationPath(cid)}/transcript`);
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
    ui.status.textContent =
      "Vi fikk ikke hentet de tidligere meldingene akkurat nå. Last inn siden på nytt om litt.";
  } finally {
    restoring = false;
  }
}

// ---------------------------------------------------------------- larger text

function showTextSize(large) {
  document.documentElement.classList.toggle("text-large", large);
  ui.textSize.setAttribute("aria-pressed", String(large));
}

function toggleTextSize() {
  const large = !document.documentElement.classList.contains("text-large");
  showTextSize(large);
  try {
    localStorage.setItem(TEXT_SIZE_KEY, large ? "large" : "normal");
  } catch {
    // Not remembered; the choice still holds on this page.
  }
}

function rememberedTextSize() {
  try {
    return localStorage.getItem(TEXT_SIZE_KEY) === "large";
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- erasing

let deleting = false;
let justDeleted = false;

function openDelete() {
  ui.deleteError.hidden = true;
  ui.deleteDialog.showModal();
  ui.deleteCancel.focus();
}

async function confirmDelete() {
  deleting = true;
  ui.deleteConfirm.disabled = true;
  ui.deleteError.hidden = true;
  try {
    if (state.conversationId) {
      try {
        await call("DELETE", conversationPath(state.conversationId));
      } catch (error) {
        if (error.kind !== "gone") throw error;
      }
    }
    state = emptyState();
    forget();
    ui.input.value = "";
    clearInputError();
    hideProblem();
    renderAll();
    justDeleted = true;
    ui.deleteDialog.close();
    ui.status.textContent = "Samtalen er slettet. Du kan begynne på nytt.";
    ensureConversation().catch(() => {
      // Made when the first message is sent instead.
    });
  } catch {
    ui.deleteError.textContent =
      "Samtalen ble ikke slettet, fordi vi ikke fikk kontakt. Trykk «Ja, slett samtalen» for å prøve igjen.";
    ui.deleteError.hidden = false;
  } finally {
    ui.deleteConfirm.disabled = false;
    deleting = false;
  }
}

// ---------------------------------------------------------------- start

function hideBrokenLogo() {
  // Without Punkt's assets (no `npm ci`) the logo is missing: show the name alone.
  const logo = document.querySelector(".site-header__logo");
  if (!logo) return;
  const hide = () => {
    logo.hidden = true;
  };
  if (logo.complete && !logo.naturalWidth) hide();
  else logo.addEventListener("error", hide);
}

function keepComposerClear() {
  // Whatever is scrolled into view stops above the message box that stays at the bottom.
  const composer = ui.form.closest(".composer-bar") || ui.form;
  const update = () => {
    const sticky = getComputedStyle(composer).position === "sticky";
    document.documentElement.style.scrollPaddingBottom = sticky
      ? `${composer.offsetHeight}px`
      : "";
  };
  new ResizeObserver(update).observe(composer);
  window.addEventListener("resize", update);
}

async function start() {
  showTextSize(rememberedTextSize());
  hideBrokenLogo();
  keepComposerClear();
  renderAll();
  ui.input.value = state.draft || "";

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim()) {
      submit("");
      return;
    }
    ui.input.value = "";
    saveDraft();
    submit(text);
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  });
  ui.input.addEventListener("input", () => {
    saveDraft();
    if (!ui.inputError.hidden && ui.input.value.trim()) clearInputError();
  });
  ui.retry.addEventListener("click", () => {
    ui.status.textContent = "Prøver igjen …";
    flush();
  });
  ui.callToggle.addEventListener("click", toggleCallPanel);
  ui.textSize.addEventListener("click", toggleTextSize);
  ui.deleteOpen.addEventListener("click", openDelete);
  ui.deleteCancel.addEventListener("click", () => ui.deleteDialog.close());
  ui.deleteConfirm.addEventListener("click", confirmDelete);
  ui.deleteDialog.addEventListener("close", () => {
    // After erasing, the person starts again in the empty field; otherwise back where they were.
    (justDeleted ? ui.input : ui.deleteOpen).focus();
    justDeleted = false;
  });

  loadContacts();
  await restore();
  if (unsent().length) showProblem({ kind: "unavailable" });
  setInterval(poll, POLL_SECONDS * 1000);
  document.addEventListener("visibilitychange", poll);
  poll();
  document.body.dataset.ready = "true";
}

start();
