// Showing the conversation: the messages in the log, links and phone numbers in them, the
// person's answer choices (and "Var dette til hjelp?", feedback.js), and what is wrong with the
// message being written.

import { telHref } from "/shared/format.js";
import { feedbackQuestion } from "./feedback.js";
import { save, state } from "./state.js";
import { CHAT, SENDER, atTime } from "./text.js";
import { ui } from "./ui.js";

let choose = () => {};

/** What pressing an answer choice does: `handler(title, payload)`. */
export function onChoice(handler) {
  choose = handler;
}

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
  if (entry.sender === "user") return SENDER.you;
  if (entry.sender === "staff") return entry.label || SENDER.staff;
  if (entry.sender === "notice") return entry.label || SENDER.notice;
  return SENDER.assistant;
}

function timeText(iso) {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return "";
  return atTime(date.toLocaleTimeString("nb-NO", { hour: "2-digit", minute: "2-digit" }));
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
    note.textContent = entry.state === "failed" ? CHAT.failed : CHAT.sending;
    item.append(note);
  }
  if (entry.buttons && entry.buttons.length) {
    const choices = document.createElement("div");
    choices.className = "choices";
    choices.setAttribute("role", "group");
    choices.setAttribute("aria-label", CHAT.choices);
    for (const button of entry.buttons) {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.className = "pkt-btn pkt-btn--secondary choices__button";
      choice.textContent = button.title;
      choice.addEventListener("click", () => choose(button.title, button.payload));
      choices.append(choice);
    }
    item.append(choices);
  }
  if (entry.feedback) item.append(feedbackQuestion(entry));
  return item;
}

function welcome() {
  const item = document.createElement("div");
  item.className = "msg msg--assistant msg--welcome";
  const who = document.createElement("p");
  who.className = "msg__who";
  who.textContent = SENDER.assistant;
  const body = document.createElement("div");
  body.className = "msg__text";
  appendText(body, CHAT.welcome);
  item.append(who, body);
  return item;
}

export function renderAll() {
  ui.log.replaceChildren(welcome(), ...state.transcript.map(renderEntry));
  ui.privacy.open = !state.transcript.some((entry) => entry.sender === "user");
}

export function add(entry) {
  state.transcript.push(entry);
  save();
  const element = renderEntry(entry, state.transcript.length - 1);
  ui.log.append(element);
  return element;
}

export function rerender(entry) {
  const index = state.transcript.indexOf(entry);
  const old = ui.log.querySelector(`[data-index="${index}"]`);
  if (old) old.replaceWith(renderEntry(entry, index));
  save();
}

export function dropChoices() {
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

export function showInView(element) {
  if (element) element.scrollIntoView({ block: "nearest", behavior: "smooth" });
}


/** The message box's text was refused: say why, on the box. */
export function showInputError(message) {
  ui.inputError.textContent = message;
  ui.inputError.hidden = false;
  ui.input.setAttribute("aria-invalid", "true");
  ui.input.focus();
}

export function clearInputError() {
  ui.inputError.hidden = true;
  ui.inputError.textContent = "";
  ui.input.removeAttribute("aria-invalid");
}
