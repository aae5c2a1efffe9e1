// Showing the queue and one ticket. Every text from a ticket is put on the page as text
// (textContent), never as HTML.

import { el, showNotice } from "/shared/dom.js";
import { telHref } from "/shared/format.js";
import { session } from "/shared/staff.js";
import { needName, serviceName } from "./api.js";
import { allowed, freshMessages, heldBySomeoneElse, open, queueState } from "./state.js";
import {
  AGREES_TEXT,
  CHANNEL_TEXT,
  CONTACT_TEXT,
  FOR_WHOM_TEXT,
  LANGUAGE_TEXT,
  STATUS_TEXT,
  labelOf,
  pressed,
  promised,
  timeElement,
  waited,
  whoAsks,
} from "./text.js";
import { ui } from "./ui.js";

// ---------------------------------------------------------------- the queue

function queueRow(ticket) {
  const urgent = ticket.priority === "high";
  const link = el("a", { href: `#sak-${ticket.id}`, className: "ref" }, ticket.reference);
  const service =
    [serviceName(ticket.service), needName(ticket.need)].filter(Boolean).join(", ") || "Ikke oppgitt";
  const fresh = queueState.seen.get(ticket.id) !== ticket.updated_at;
  const contact = `${labelOf(CONTACT_TEXT, ticket.contact_method)} (${labelOf(CHANNEL_TEXT, ticket.channel)})`;
  return el(
    "tr",
    { className: urgent ? "urgent" : null },
    el("th", { scope: "row" }, link, fresh ? el("span", { className: "badge badge--fresh" }, "Nytt") : null),
    el("td", {}, el("span", { className: `badge badge--${ticket.status}` }, labelOf(STATUS_TEXT, ticket.status))),
    el("td", {}, urgent ? el("strong", { className: "priority" }, "Haster") : "Vanlig"),
    el("td", {}, service),
    el("td", {}, whoAsks(ticket)),
    el("td", {}, contact),
    el("td", {}, ticket.assignee || "Ingen ennå"),
    el("td", {}, timeElement(ticket.updated_at), ticket.status === "resolved" ? null : [el("br"), `venter i ${waited(ticket.created_at)}`]),
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
  const chosen = queueState.status ? ` med status «${STATUS_TEXT[queueState.status]}»` : "";
  ui.queueCaption.textContent = `Saker i ${district}${chosen}`;
  const first = page.total === 0 ? 0 : page.offset + 1;
  const last = page.offset + page.items.length;
  ui.pageInfo.textContent =
    page.total === 0 ? "Ingen saker" : `Viser ${first}–${last} av ${page.total} saker${chosen}`;
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
    fact("Status", el("span", { className: `badge badge--${ticket.status}` }, labelOf(STATUS_TEXT, ticket.status))),
    fact("Prioritet", ticket.priority === "high" ? el("strong", { className: "priority" }, "Haster") : "Vanlig"),
    fact("Saksbehandler", ticket.assignee || "Ingen ennå"),
    fact("Tjeneste", serviceName(ticket.service) || "Ikke oppgitt"),
    fact("Behov", needName(ticket.need) || ticket.description || "Ikke oppgitt"),
    fact("Hvem spør", labelOf(FOR_WHOM_TEXT, ticket.for_whom)),
  ];
  if (ticket.for_whom === "relative") {
    facts.push(fact("Er den eldre enig i at vi tar kontakt?", labelOf(AGREES_TEXT, ticket.senior_agrees)));
  }
  facts.push(
    fact("Ønsket kontakt", labelOf(CONTACT_TEXT, ticket.contact_method)),
    fact("Telefon", ticket.contact_phone ? phoneLink(ticket.contact_phone) : "Ikke oppgitt"),
    fact("Kanal", labelOf(CHANNEL_TEXT, ticket.channel)),
    fact("Språk", labelOf(LANGUAGE_TEXT, ticket.language)),
    fact("Samtykke", `«${ticket.consent_text}» – gitt `, timeElement(ticket.consent_at)),
    fact("Svar lovet", ...promised(ticket)),
    fact("Opprettet", timeElement(ticket.created_at)),
    fact("Sist aktivitet", timeElement(ticket.updated_at)),
  );
  if (ticket.resolved_at) facts.push(fact("Avsluttet", timeElement(ticket.resolved_at)));
  ui.summary.replaceChildren(...facts.flat());
}

function renderThread(list, empty, entries) {
  list.replaceChildren(...entries);
  empty.hidden = entries.length > 0;
}

function messageItem(message) {
  const fromStaff = message.sender !== "person";
  const who =
    message.sender === "notice"
      ? "Automatisk beskjed til personen"
      : fromStaff
        ? `${message.author || "Bydelen"} (bydelen)`
        : "Personen";
  const delivered = fromStaff
    ? message.delivered_at
      ? el("span", { className: "meta__extra" }, " · levert ", timeElement(message.delivered_at))
      : el("span", { className: "meta__extra" }, " · ikke levert ennå")
    : null;
  return el(
    "li",
    { className: `entry entry--${fromStaff ? "staff" : "person"}` },
    el("p", { className: "meta" }, el("strong", {}, who), " · ", timeElement(message.created_at), delivered),
    el("p", { className: "prose" }, message.text),
  );
}

function noteItem(note) {
  return el(
    "li",
    { className: "entry entry--note" },
    el("p", { className: "meta" }, el("strong", {}, note.author || "Ukjent"), " · ", timeElement(note.created_at)),
    el("p", { className: "prose" }, note.text),
  );
}

function transcriptItem(line) {
  const who = line.sender === "person" ? "Personen" : "Seniorveiviser";
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
  ui.newMessages.textContent = fresh === 1 ? "1 ny melding" : `${fresh} nye meldinger`;
  return fresh;
}

export function renderTicket(ticket) {
  open.ticket = ticket;
  open.shown = JSON.stringify(ticket);
  queueState.seen.set(ticket.id, ticket.updated_at);
  ui.ticketErased.hidden = true;
  ui.ticketCards.hidden = false;
  ui.actions.hidden = false;
  ui.ticketHeading.textContent = `Sak ${ticket.reference}`;
  document.title = `Sak ${ticket.reference} – Seniorveiviser`;
  ui.ticketPurged.hidden = !ticket.purged_at;
  renderSummary(ticket);
  ui.description.textContent = ticket.description || "Ingen beskrivelse.";
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
    help.push(`${ticket.assignee} har saken.`);
    if (session.me.role === "staff") help.push("Vil du ta over, be lederen i bydelen om det.");
  }
  if (ticket.status === "new") help.push("Når du svarer personen, tar du saken.");
  if (ticket.status === "claimed" || ticket.status === "waiting_for_person") {
    help.push("Mens saken er under behandling, svarer ikke Seniorveiviser personen selv.");
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
  ui.ticketHeading.textContent = "Personen har slettet saken";
  document.title = "Personen har slettet saken – Seniorveiviser";
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

