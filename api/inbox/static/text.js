// What the inbox says: every sentence and label the other modules put on the page, labels for
// the API's values, times and dates in Oslo, and problems. In bokmål; the login's sentences are
// in /shared/text.js, and tests/test_front_end_texts.py reads both.

import { el } from "/shared/dom.js";
import { osloDay } from "/shared/format.js";
import { needName, serviceName } from "./api.js";

export const STATUS_TEXT = {
  new: "Ny",
  claimed: "Under behandling",
  waiting_for_person: "Venter på svar fra personen",
  resolved: "Avsluttet",
};
export const FOR_WHOM_TEXT = { self: "Personen selv", relative: "En pårørende" };
export const AGREES_TEXT = { yes: "Ja", no: "Nei", unsure: "Usikker" };
export const CONTACT_TEXT = { phone: "Vil bli ringt", chat: "Svar i chatten" };
// One per channel in core/channels.py: the page has no build step, so its labels live here.
export const CHANNEL_TEXT = { web: "nettsiden", telegram: "Telegram" };
const AGREES_SHORT = { yes: "den eldre er enig", no: "den eldre er ikke enig", unsure: "usikkert om den eldre er enig" };
export const LANGUAGE_TEXT = { nb: "bokmål", nn: "nynorsk", en: "engelsk" };
// What could not be done, for problemText: "Det går ikke å … nå".
export const ACTION_TO_DO = {
  claim: "ta saken",
  waiting: "sette saken til å vente på svar",
  resolve: "avslutte saken",
  reopen: "gjenåpne saken",
  list: "hente listen",
  open: "åpne saken",
  replies: "svare",
  notes: "lagre notatet",
};
export const ACTION_DONE = {
  claim: "Du har tatt saken.",
  waiting: "Saken venter nå på svar fra personen.",
  resolve: "Saken er avsluttet.",
  reopen: "Saken er gjenåpnet.",
};

export const PAGE_NAME = "Innboks for bydelen";

// ---------------------------------------------------------------- the queue

export const QUEUE = Object.freeze({
  none: "Ingen saker",
  changed: "Det er noe nytt i listen.",
  fresh: "Nytt",
});

/** "Saker i Bydel Frogner": the queue's heading and its table's caption. */
export const casesIn = (district) => `Saker i ${district}`;

/** After the caption when the list is filtered: ` med status «Ny»`. */
export const withStatus = (status) => ` med status «${status}»`;

/** "Viser 1–20 av 31 saker", with `chosen` (withStatus, or "") after it. */
export const showing = (first, last, total, chosen) =>
  `Viser ${first}–${last} av ${total} saker${chosen}`;

/** Said when the list is shown again: the page line, `shown`, after it. */
export const listUpdated = (shown) => `Listen er oppdatert. ${shown}.`;

/** "venter i 3 t": under a row's last activity. */
export const waiting = (time) => `venter i ${time}`;

// ---------------------------------------------------------------- one ticket

export const TICKET = Object.freeze({
  loading: "Henter saken …",
  notFound: "Fant ikke saken",
  erased: "Personen har slettet saken",
  refreshed: "Saken er oppdatert.",
  writeFirst: "Skriv noe først.",
  replied: "Svaret er sendt til personen.",
  noted: "Notatet er lagret.",
  notGiven: "Ikke oppgitt",
  urgent: "Haster",
  normal: "Vanlig",
  nobody: "Ingen ennå",
  noDescription: "Ingen beskrivelse.",
});

/** "Sak 2026-0001": the ticket's heading. */
export const caseTitle = (reference) => `Sak ${reference}`;

// The terms in the ticket's summary.
export const FACT = Object.freeze({
  status: "Status",
  priority: "Prioritet",
  assignee: "Saksbehandler",
  service: "Tjeneste",
  need: "Behov",
  forWhom: "Hvem spør",
  agrees: "Er den eldre enig i at vi tar kontakt?",
  contact: "Ønsket kontakt",
  phone: "Telefon",
  channel: "Kanal",
  language: "Språk",
  consent: "Samtykke",
  promised: "Svar lovet",
  created: "Opprettet",
  updated: "Sist aktivitet",
  resolved: "Avsluttet",
});

/** "«Ja, dere kan kontakte meg» – gitt ", before the time it was given. */
export const consentGiven = (consent) => `«${consent}» – gitt `;

// Who wrote what, in the ticket's messages, notes and transcript.
export const WRITER = Object.freeze({
  notice: "Automatisk beskjed til personen",
  person: "Personen",
  assistant: "Seniorveiviser",
  district: "Bydelen",
  unknown: "Ukjent",
  delivered: " · levert ",
  notDelivered: " · ikke levert ennå",
});

/** "Kari Nordmann (bydelen)": a message from staff. */
export const fromStaff = (author) => `${author} (bydelen)`;

/** The badge: "1 ny melding", "3 nye meldinger". */
export const newMessages = (count) => (count === 1 ? "1 ny melding" : `${count} nye meldinger`);

/** Said to screen readers when the open ticket has new messages from the person. */
export const newMessagesSaid = (count) =>
  count === 1 ? "Ny melding fra personen." : `${count} nye meldinger fra personen.`;

// What the staff member may do with the ticket, under its buttons.
export const HELP = Object.freeze({
  askLead: "Vil du ta over, be lederen i bydelen om det.",
  answerClaims: "Når du svarer personen, tar du saken.",
  assistantQuiet: "Mens saken er under behandling, svarer ikke Seniorveiviser personen selv.",
});

/** "Kari Nordmann har saken." */
export const holds = (assignee) => `${assignee} har saken.`;

/** Claiming failed: someone else has the ticket. */
export const heldByOther = (assignee) =>
  `${assignee} har saken. Be lederen i bydelen om å ta den over.`;

// ---------------------------------------------------------------- times and problems

const timeFormat = new Intl.DateTimeFormat("nb-NO", {
  dateStyle: "short",
  timeStyle: "short",
  timeZone: "Europe/Oslo",
});
const dayFormat = new Intl.DateTimeFormat("nb-NO", {
  weekday: "long",
  day: "numeric",
  month: "long",
  timeZone: "UTC",
});

function when(iso) {
  if (!iso) return "–";
  const moment = new Date(iso);
  return Number.isNaN(moment.getTime()) ? String(iso) : timeFormat.format(moment);
}

function day(isoDate) {
  if (!isoDate) return "–";
  const moment = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(moment.getTime()) ? String(isoDate) : dayFormat.format(moment);
}

/** <time> showing `iso` in Oslo time, machine-readable too. */
export function timeElement(iso) {
  return el("time", { datetime: iso || null }, when(iso));
}

export const labelOf = (table, value) => table[value] || value || "–";

/** "forfaller i dag", "forfaller i morgen", "forfalt", or null: against the promised day. */
function due(ticket) {
  if (ticket.status === "resolved" || !ticket.expected_answer_on) return null;
  const days = Math.round(
    (Date.parse(`${ticket.expected_answer_on}T00:00:00Z`) - Date.parse(`${osloDay()}T00:00:00Z`)) /
      86_400_000,
  );
  if (days < 0) return el("strong", { className: "due due--late" }, "forfalt");
  if (days === 0) return el("span", { className: "due due--today" }, "forfaller i dag");
  if (days === 1) return el("span", { className: "due" }, "forfaller i morgen");
  return null;
}

export function promised(ticket) {
  const label = due(ticket);
  return label ? [day(ticket.expected_answer_on), " – ", label] : [day(ticket.expected_answer_on)];
}

/** "venter i 3 timer": how long since the person asked. */
export function waited(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} t`;
  return `${Math.round(minutes / 1440)} døgn`;
}

export function whoAsks(ticket) {
  const who = labelOf(FOR_WHOM_TEXT, ticket.for_whom);
  if (ticket.for_whom !== "relative" || !ticket.senior_agrees) return who;
  return `${who} (${labelOf(AGREES_SHORT, ticket.senior_agrees)})`;
}

/** A button press the assistant stored as its payload, in words: `/ask_service{…}`. */
export function pressed(text) {
  const match = /^\/([a-z_]+)(\{.*\})?$/s.exec(text.trim());
  if (!match) return null;
  let entities = {};
  try {
    entities = match[2] ? JSON.parse(match[2]) : {};
  } catch {
    entities = {};
  }
  const chosen =
    serviceName(entities.service) || needName(entities.need) || entities.district || null;
  return chosen ? `Trykket på «${chosen}»` : "Trykket på en knapp";
}

/** "1 minutt", "15 minutter", "2 timer": how long a locked login waits. */
export function waitText(seconds) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 120) return minutes === 1 ? "1 minutt" : `${minutes} minutter`;
  return `${Math.ceil(minutes / 60)} timer`;
}

export function problemText(error, what) {
  if (error.status === 0) return "Fikk ikke kontakt med serveren. Sjekk nettet og prøv igjen.";
  if (error.status === 404) return "Fant ikke saken. Den kan være slettet.";
  if (error.status === 422) return "Teksten kan ikke være tom, og den kan ha høyst 2000 tegn.";
  if (error.status === 409) return `Det går ikke å ${what} nå: saken er endret. Se saken slik den er nå.`;
  return "Noe gikk galt hos oss. Prøv igjen om litt.";
}
