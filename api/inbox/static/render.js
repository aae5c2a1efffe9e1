// Showing the queue and one ticket. Every text from a ticket is put on the page as text
// (textContent), never as HTML.

import { el, showNotice } from "/shared/dom.js";
import { telHref } from "/shared/format.js";
import { session } from "/shared/staff.js";
import { pageTitle } from "/shared/text.js";
import { needName, serviceName } from "./api.js";
import { allowed, freshMessages, heldBySomeoneElse, open, queueState } from "./state.js";
import {
  AGREES_TEXT,
  CHANNEL_TEXT,
  CONTACT_TEXT,
  FACT,
  FOR_WHOM_TEXT,
  HELP,
  LANGUAGE_TEXT,
  QUEUE,
  STATUS_TEXT,
  TICKET,
  WRITER,
  casesIn,
  caseTitle,
  consentGiven,
  fromStaff,
  holds,
  labelOf,
  newMessages,
  pressed,
  promised,
  showing,
  timeElement,
  waited,
  waiting,
  whoAsks,
  withStatus,
} from "./text.js";
import { ui } from "./ui.js";

// ---------------------------------------------------------------- the queue

function queueRow(ticket) {
  const urgent = ticket.priority === "high";
  const link = el("a", { href: `#sak-${ticket.id}`, className: "ref" }, ticket.reference);
  const service =
    [serviceName(ticket.service), needName(ticket.need)].filter(Boolean).join(", ") || TICKET.notGiven;
  const fresh = queueState.seen.get(ticket.id) !== ticket.updated_at;
  const contact = `${labelOf(CONTACT_TEXT, ticket.contact_method)} (${labelOf(CHANNEL_TEXT, ticket.channel)})`;
  return el(
    "tr",
    { className: urgent ? "urgent" : null },
    el("th", { scope: "row" }, link, fresh ? el("span", { className: "badge badge--fresh" }, QUEUE.fresh) : null),
    el("td", {}, el("span", { className: `badge badge--${ticket.status}` }, labelOf(STATUS_TEXT, ticket.status))),
    el("td", {}, urgent ? el("strong", { className: "priority" }, TICKET.urgent) : TICKET.normal),
    el("td", {}, service),
    el("td", {}, whoAsks(ticket)),
    el("td", {}, contact),
    el("td", {}, ticket.assignee || TICKET.nobody),
    el("td", {}, timeElement(ticket.updated_at), ticket.status === "resolved" ? null : [el("br"), waiting(waited(ticket.created_at))]),
    el("td", {}, ...promised(ticket)),
  );
}

/** A page of the queue in `district`, keeping focus on the row that had it. */
export function renderQueue(page, district, { quiet }) {
  const focused = ui.queueRows.contains(document.activeElement)
    ? document.activeElement.getAttribute("href")
    : null;
  for (const ticket of page.items) {
    if (!quiet && !queueState.seen.has(ticket.id)) queueState.seen.set(ticket.id, ticket.updated_at);
  }
  ui.queueRows.replaceChildren(...page.items.map(queueRow));
  if (focused) ui.queueRows.querySelector(`a[href="${focused}"]`)?.focus();
  ui.queueTable.hidden = page.items.length === 0;
  ui.queueEmpty.hidden = page.items.length > 0;
  const chosen = queueState.status ? withStatus(STATUS_TEXT[queueState.status]) : "";
  ui.queueCaption.textContent = `${casesIn(district)}${chosen}`;
  const first = page.total === 0 ? 0 : page.offset + 1;
  const last = page.offset + page.items.length;
  ui.pageInfo.textContent =
    page.total === 0 ? QUEUE.none : showing(first, last, page.total, chosen);
  ui.previous.disabled = page.offset === 0;
  ui.next.disabled = last >= page.total;
}

// ---------------------------------------------------------------- one ticket

function fact(term, ...value) {
  return [el("dt", {}, term), el("dd", {}, ...value)];
}

function phoneLink(phone) {
  return el("a", { href: telHref(phone) }, phone);
}

function renderSummary(ticket) {
  const facts = [
    fact(FACT.status, el("span", { className: `badge badge--${ticket.status}` }, labelOf(STATUS_TEXT, ticket.status))),
    fact(FACT.priority, ticket.priority === "high" ? el("strong", { className: "priority" }, TICKET.urgent) : TICKET.normal),
    fact(FACT.assignee, ticket.assignee || TICKET.nobody),
    fact(FACT.service, serviceName(ticket.service) || TICKET.notGiven),
    fact(FACT.need, needName(ticket.need) || ticket.description || TICKET.notGiven),
    fact(FACT.forWhom, labelOf(FOR_WHOM_TEXT, ticket.for_whom)),
  ];
  if (ticket.for_whom === "relative") {
    facts.push(fact(FACT.agrees, labelOf(AGREES_TEXT, ticket.senior_agrees)));
  }
  facts.push(
    fact(FACT.contact, labelOf(CONTACT_TEXT, ticket.contact_method)),
    fact(FACT.phone, ticket.contact_phone ? phoneLink(ticket.contact_phone) : TICKET.notGiven),
    fact(FACT.channel, labelOf(CHANNEL_TEXT, ticket.channel)),
    fact(FACT.language, labelOf(LANGUAGE_TEXT, ticket.language)),
    fact(FACT.consent, consentGiven(ticket.consent_text), timeElement(ticket.consent_at)),
    fact(FACT.promised, ...promised(ticket)),
    fact(FACT.created, timeElement(ticket.created_at)),
    fact(FACT.updated, timeElement(ticket.updated_at)),
  );
  if (ticket.resolved_at) facts.push(fact(FACT.resolved, timeElement(ticket.resolved_at)));
  ui.summary.replaceChildren(...facts.flat());
}

function renderThread(list, empty, entries) {
  list.replaceChildren(...entries);
  empty.hidden = entries.length > 0;
}

function messageItem(message) {
  const byStaff = message.sender !== "person";
  const who =
    message.sender === "notice"
      ? WRITER.notice
      : byStaff
        ? fromStaff(message.author || WRITER.district)
        : WRITER.person;
  const delivered = byStaff
    ? message.delivered_at
      ? el("span", { className: "meta__extra" }, WRITER.delivered, timeElement(message.delivered_at))
      : el("span", { className: "meta__extra" }, WRITER.notDelivered)
    : null;
  return el(
    "li",
    { className: `entry entry--${byStaff ? "staff" : "person"}` },
    el("p", { className: "meta" }, el("strong", {}, who), " · ", timeElement(message.created_at), delivered),
    el("p", { className: "prose" }, message.text),
  );
}

function noteItem(note) {
  return el(
    "li",
    { className: "entry entry--note" },
    el("p", { className: "meta" }, el("strong", {}, note.author || WRITER.unknown), " · ", timeElement(note.created_at)),
    el("p", { className: "prose" }, note.text),
  );
}

function transcriptItem(line) {
  const who = line.sender === "person" ? WRITER.person : WRITER.assistant;
  return el(
    "li",
    { className: `entry entry--${line.sender === "person" ? "person" : "assistant"}` },
    el("p", { className: "meta" }, el("strong", {}, who), line.at ? [" · ", timeElement(line.at)] : null),
    el("p", { className: "prose" }, (line.sender === "person" && pressed(line.text)) || line.text),
  );
}

/** The badge for the person's new messages; how many there are. */
export function markNewMessages(ticket, opened) {
  const fresh = freshMessages(ticket, opened);
  ui.newMessages.hidden = fresh === 0;
  ui.newMessages.textContent = newMessages(fresh);
  return fresh;
}

export function renderTicket(ticket) {
  open.ticket = ticket;
  open.shown = JSON.stringify(ticket);
  queueState.seen.set(ticket.id, ticket.updated_at);
  ui.ticketErased.hidden = true;
  ui.ticketCards.hidden = false;
  ui.actions.hidden = false;
  ui.ticketHeading.textContent = caseTitle(ticket.reference);
  document.title = pageTitle(caseTitle(ticket.reference));
  ui.ticketPurged.hidden = !ticket.purged_at;
  renderSummary(ticket);
  ui.description.textContent = ticket.description || TICKET.noDescription;
  renderThread(ui.messages, ui.messagesEmpty, ticket.messages.map(messageItem));
  renderThread(ui.notes, ui.notesEmpty, ticket.notes.map(noteItem));
  renderThread(ui.transcript, ui.transcriptEmpty, ticket.transcript.map(transcriptItem));

  const can = allowed(ticket);
  for (const button of ui.actionButtons) {
    button.hidden = !can[button.dataset.action];
  }
  ui.replyForm.hidden = !can.reply;
  const help = [];
  if (heldBySomeoneElse(ticket)) {
    help.push(holds(ticket.assignee));
    if (session.me.role === "staff") help.push(HELP.askLead);
  }
  if (ticket.status === "new") help.push(HELP.answerClaims);
  if (ticket.status === "claimed" || ticket.status === "waiting_for_person") {
    help.push(HELP.assistantQuiet);
  }
  ui.actionsHelp.textContent = help.join(" ");
}

/** No ticket's details on the screen. */
export function emptyTicket() {
  for (const list of [ui.summary, ui.messages, ui.notes, ui.transcript]) list.replaceChildren();
  ui.description.textContent = "";
}

/** The ticket on screen is gone: the person erased it. One clear state, nothing personal. */
export function showErased() {
  open.ticket = null;
  open.shown = "";
  ui.ticketHeading.textContent = TICKET.erased;
  document.title = pageTitle(TICKET.erased);
  emptyTicket();
  ui.replyText.value = "";
  ui.noteText.value = "";
  ui.ticketCards.hidden = true;
  ui.actions.hidden = true;
  ui.actionsHelp.textContent = "";
  ui.ticketPurged.hidden = true;
  showNotice(ui.ticketProblem, "");
  ui.ticketErased.hidden = false;
  ui.ticketHeading.focus();
}

