// The staff inbox. Plain JavaScript, no build step, no framework.
// It talks only to the staff API: POST /api/auth/token (OAuth2 password flow), then
// /api/staff/... with the bearer token. The token is kept in this tab's sessionStorage only.
//
// Every text from a ticket is put on the page with textContent, never as HTML.
// The queue and the open ticket refresh themselves every few seconds (a tab in the background
// waits); the API writes a read to the audit log when it is opened, not at each refresh.

const API = "/api";
const STORE_KEY = "seniorveiviser.inbox.v1";
const PAGE_SIZE = 20;
const REFRESH_SECONDS = 5;

const STATUS_TEXT = {
  new: "Ny",
  claimed: "Under behandling",
  waiting_for_person: "Venter på svar fra personen",
  resolved: "Avsluttet",
};
const ROLE_TEXT = { staff: "ansatt", lead: "leder", admin: "administrator" };
const FOR_WHOM_TEXT = { self: "Personen selv", relative: "En pårørende" };
const AGREES_TEXT = { yes: "Ja", no: "Nei", unsure: "Usikker" };
const CONTACT_TEXT = { phone: "Vil bli ringt", chat: "Svar i chatten" };
const CHANNEL_TEXT = { web: "nettsiden", telegram: "Telegram" };
const AGREES_SHORT = { yes: "den eldre er enig", no: "den eldre er ikke enig", unsure: "usikkert om den eldre er enig" };
const LANGUAGE_TEXT = { nb: "bokmål", nn: "nynorsk", en: "engelsk" };
const ACTION_TO_DO = {
  claim: "ta saken",
  waiting: "sette saken til å vente på svar",
  resolve: "avslutte saken",
  reopen: "gjenåpne saken",
};
const ACTION_DONE = {
  claim: "Du har tatt saken.",
  waiting: "Saken venter nå på svar fra personen.",
  resolve: "Saken er avsluttet.",
  reopen: "Saken er gjenåpnet.",
};

const $ = (id) => document.getElementById(id);
const ui = {
  status: $("status"),
  who: $("who"),
  whoText: $("who-text"),
  logout: $("logout"),
  loginView: $("login-view"),
  loginHeading: $("login-heading"),
  loginNotice: $("login-notice"),
  loginForm: $("login-form"),
  loginError: $("login-error"),
  loginSubmit: $("login-submit"),
  username: $("username"),
  password: $("password"),
  queueView: $("queue-view"),
  queueHeading: $("queue-heading"),
  filterForm: $("filter-form"),
  statusFilter: $("status-filter"),
  queueEmpty: $("queue-empty"),
  queueTable: $("queue-table"),
  queueCaption: $("queue-caption"),
  queueRows: $("queue-rows"),
  previous: $("previous"),
  next: $("next"),
  pageInfo: $("page-info"),
  ticketView: $("ticket-view"),
  back: $("back"),
  ticketHeading: $("ticket-heading"),
  ticketProblem: $("ticket-problem"),
  ticketPurged: $("ticket-purged"),
  ticketErased: $("ticket-erased"),
  ticketCards: document.querySelector("#ticket-view .ticket"),
  actions: document.querySelector("#ticket-view .actions"),
  newMessages: $("new-messages"),
  resolveDialog: $("resolve-dialog"),
  resolveConfirm: $("resolve-confirm"),
  resolveCancel: $("resolve-cancel"),
  actionButtons: document.querySelectorAll("[data-action]"),
  actionsHelp: $("actions-help"),
  refreshTicket: $("refresh-ticket"),
  summary: $("summary"),
  description: $("description"),
  messages: $("messages"),
  messagesEmpty: $("messages-empty"),
  notes: $("notes"),
  notesEmpty: $("notes-empty"),
  transcript: $("transcript"),
  transcriptEmpty: $("transcript-empty"),
  replyForm: $("reply-form"),
  replyText: $("reply-text"),
  noteForm: $("note-form"),
  noteText: $("note-text"),
};

// ---------------------------------------------------------------- helpers

/** An element with attributes and children; strings become text nodes (never HTML). */
function el(tag, attributes = {}, ...children) {
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
function timeElement(iso) {
  return el("time", { datetime: iso || null }, when(iso));
}

const labelOf = (table, value) => table[value] || value || "–";

/** Today's date in Oslo, as "YYYY-MM-DD". */
function osloToday() {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Oslo" }).format(new Date());
}

/** "forfaller i dag", "forfaller i morgen", "forfalt", or null: against the promised day. */
function due(ticket) {
  if (ticket.status === "resolved" || !ticket.expected_answer_on) return null;
  const days = Math.round(
    (Date.parse(`${ticket.expected_answer_on}T00:00:00Z`) - Date.parse(`${osloToday()}T00:00:00Z`)) /
      86_400_000,
  );
  if (days < 0) return el("strong", { className: "due due--late" }, "forfalt");
  if (days === 0) return el("span", { className: "due due--today" }, "forfaller i dag");
  if (days === 1) return el("span", { className: "due" }, "forfaller i morgen");
  return null;
}

function promised(ticket) {
  const label = due(ticket);
  return label ? [day(ticket.expected_answer_on), " – ", label] : [day(ticket.expected_answer_on)];
}

/** "venter i 3 timer": how long since the person asked. */
function waited(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} t`;
  return `${Math.round(minutes / 1440)} døgn`;
}

// ---------------------------------------------------------------- names from the catalogue

const names = { services: new Map(), needs: new Map(), loaded: null };

function loadNames() {
  // Services and needs by their slugs, from the public catalogue API; slugs until it answers.
  names.loaded ||= Promise.all([
    request("GET", "/services?limit=100").then((page) => {
      for (const item of page.items) names.services.set(item.slug, item.name);
    }),
    request("GET", "/needs").then((needs) => {
      for (const need of needs) names.needs.set(need.slug, need.name);
    }),
  ]).catch(() => {
    names.loaded = null; // try again next time
  });
  return names.loaded;
}

const serviceName = (slug) => (slug ? names.services.get(slug) || slug : null);
const needName = (slug) => (slug ? names.needs.get(slug) || slug : null);

function whoAsks(ticket) {
  const who = labelOf(FOR_WHOM_TEXT, ticket.for_whom);
  if (ticket.for_whom !== "relative" || !ticket.senior_agrees) return who;
  return `${who} (${labelOf(AGREES_SHORT, ticket.senior_agrees)})`;
}

/** A button press the assistant stored as its payload, in words: `/ask_service{…}`. */
function pressed(text) {
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
function say(message) {
  // Clearing first makes screen readers announce the same message twice in a row.
  ui.status.textContent = "";
  window.setTimeout(() => {
    ui.status.textContent = message;
  }, 50);
}

function showNotice(node, message) {
  node.textContent = message || "";
  node.hidden = !message;
}

// ---------------------------------------------------------------- the session

function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
    if (saved && typeof saved.token === "string" && saved.expiresAt > Date.now()) return saved;
  } catch {
    // A damaged store: log in again.
  }
  return null;
}

let session = loadSession();

function saveSession(next) {
  session = next;
  try {
    if (next) sessionStorage.setItem(STORE_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(STORE_KEY);
  } catch {
    // Storage refused (private browsing): the session lasts until the page is reloaded.
  }
}

class ApiError extends Error {
  constructor(status, detail = "", retryAfter = 0) {
    super(detail || `HTTP ${status}`);
    this.status = status; // 0: no answer from the server
    this.detail = detail;
    this.retryAfter = retryAfter; // seconds, with a 429
  }
}

function sessionEnded(message) {
  saveSession(null);
  showLogin(message);
}

async function request(method, path, { body, form, token } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  const options = { method, headers, cache: "no-store" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (form) {
    options.body = new URLSearchParams(form);
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, options);
  } catch {
    throw new ApiError(0);
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
  throw new ApiError(response.status, detail, Number(response.headers.get("Retry-After")) || 0);
}

/** A call to the staff API with the session's token; an expired session goes to the login. */
async function staffApi(method, path, body) {
  if (!session || session.expiresAt <= Date.now()) {
    sessionEnded("Økten din er utløpt. Logg inn igjen.");
    throw new ApiError(401);
  }
  try {
    return await request(method, path, { body, token: session.token });
  } catch (error) {
    if (error.status === 401) sessionEnded("Økten din er utløpt. Logg inn igjen.");
    throw error;
  }
}

/** "1 minutt", "15 minutter", "2 timer": how long a locked login waits. */
function waitText(seconds) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 120) return minutes === 1 ? "1 minutt" : `${minutes} minutter`;
  return `${Math.ceil(minutes / 60)} timer`;
}

function problemText(error, what) {
  if (error.status === 0) return "Fikk ikke kontakt med serveren. Sjekk nettet og prøv igjen.";
  if (error.status === 404) return "Fant ikke saken. Den kan være slettet.";
  if (error.status === 422) return "Teksten kan ikke være tom, og den kan ha høyst 2000 tegn.";
  if (error.status === 409) return `Det går ikke å ${what} nå: saken er endret. Se saken slik den er nå.`;
  return "Noe gikk galt hos oss. Prøv igjen om litt.";
}

// ---------------------------------------------------------------- views

function showView(view) {
  ui.status.textContent = ""; // what was said belongs to the view being left
  for (const candidate of [ui.loginView, ui.queueView, ui.ticketView]) {
    candidate.hidden = candidate !== view;
  }
  ui.who.hidden = !session;
  if (session) {
    const me = session.me;
    const district = session.districtName || me.district;
    ui.whoText.textContent = `${me.display_name} (${labelOf(ROLE_TEXT, me.role)}), ${district}`;
  }
}

function showLogin(message = "") {
  showView(ui.loginView);
  document.title = "Logg inn – Innboks for bydelen – Seniorveiviser";
  showNotice(ui.loginNotice, message);
  showNotice(ui.loginError, "");
  ui.password.value = "";
  if (message) ui.loginHeading.focus();
  else ui.username.focus();
}

async function logIn(event) {
  event.preventDefault();
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!username || !password) {
    showNotice(ui.loginError, "Skriv både brukernavn og passord.");
    (username ? ui.password : ui.username).focus();
    return;
  }
  ui.loginSubmit.disabled = true;
  showNotice(ui.loginError, "");
  try {
    const granted = await request("POST", "/auth/token", {
      form: { grant_type: "password", username, password },
    });
    const token = granted.access_token;
    const me = await request("GET", "/staff/me", { token });
    let districtName = "";
    try {
      districtName = `Bydel ${(await request("GET", `/districts/${encodeURIComponent(me.district)}`)).name}`;
    } catch {
      districtName = "";
    }
    saveSession({ token, expiresAt: Date.now() + granted.expires_in * 1000, me, districtName });
    ui.password.value = "";
    queueState.offset = 0;
    if (location.hash) history.replaceState(null, "", location.pathname);
    await showQueue({ focus: true });
    say(`Du er logget inn som ${me.display_name}.`);
  } catch (error) {
    const message =
      error.status === 401
        ? "Feil brukernavn eller passord."
        : error.status === 429
          ? `For mange forsøk som ikke virket. Vent ${waitText(error.retryAfter)} og prøv igjen.`
          : error.status === 0
            ? "Fikk ikke kontakt med serveren. Prøv igjen."
            : "Innloggingen virket ikke. Prøv igjen om litt.";
    showNotice(ui.loginError, message);
    ui.password.value = "";
    ui.password.focus();
  } finally {
    ui.loginSubmit.disabled = false;
  }
}

async function logOut() {
  if (session) {
    try {
      await request("DELETE", "/auth/token", { token: session.token });
    } catch {
      // The token is forgotten here either way, and it runs out by itself.
    }
  }
  saveSession(null);
  if (location.hash) history.replaceState(null, "", location.pathname);
  showLogin("Du er logget ut.");
}

// ---------------------------------------------------------------- the queue

// seen: ticket id -> its updated_at when this staff member last saw it: listed when they asked
// for the list, or opened. A row that changed since, or came by a refresh, is marked "Nytt".
const queueState = { status: "", offset: 0, seen: new Map(), shown: "" };

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

async function showQueue({ focus = false, quiet = false } = {}) {
  if (!quiet) showView(ui.queueView);
  await loadNames();
  const district = session.districtName || session.me.district;
  ui.queueHeading.textContent = `Saker i ${district}`;
  document.title = `Saker i ${district} – Seniorveiviser`;
  ui.statusFilter.value = queueState.status;
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(queueState.offset) });
  if (queueState.status) query.set("status", queueState.status);
  let page;
  try {
    page = await staffApi("GET", `/staff/tickets?${query}`);
  } catch (error) {
    if (error.status !== 401 && !quiet) say(problemText(error, "hente listen"));
    return;
  }
  if (ui.queueView.hidden) return; // the staff member went on while it was loading
  if (page.items.length === 0 && page.total > 0 && queueState.offset > 0) {
    queueState.offset = Math.max(0, Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
    await showQueue({ focus });
    return;
  }
  const shown = JSON.stringify(page);
  if (quiet && shown === queueState.shown) return; // nothing new: leave the table (and focus) be
  queueState.shown = shown;
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
  if (focus) ui.queueHeading.focus();
  else if (quiet) say("Det er noe nytt i listen.");
  else say(`Listen er oppdatert. ${ui.pageInfo.textContent}.`);
}

// ---------------------------------------------------------------- one ticket

let current = null; // the ticket on the screen

function fact(term, ...value) {
  return [el("dt", {}, term), el("dd", {}, ...value)];
}

function phoneLink(phone) {
  return el("a", { href: `tel:${phone.replace(/[^0-9+]/g, "")}` }, phone);
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

const heldBySomeoneElse = (ticket) =>
  ["claimed", "waiting_for_person"].includes(ticket.status) &&
  ticket.assignee &&
  ticket.assignee !== session.me.display_name;

function allowed(ticket) {
  const purged = Boolean(ticket.purged_at);
  const resolved = ticket.status === "resolved";
  return {
    // Taking a ticket someone else holds is for leads and admins (the API says 409 to staff).
    claim:
      !resolved &&
      (ticket.status !== "claimed" || ticket.assignee !== session.me.display_name) &&
      !(heldBySomeoneElse(ticket) && session.me.role === "staff"),
    waiting: ticket.status === "claimed",
    resolve: !resolved,
    reopen: resolved && !purged,
    reply: !resolved && !purged,
  };
}

const personMessages = (ticket) => ticket.messages.filter((m) => m.sender === "person");

/** The person wrote last, and no one at the district has answered since. */
const unanswered = (ticket) => {
  const talk = ticket.messages.filter((m) => m.sender === "person" || m.sender === "staff");
  return talk.length > 0 && talk[talk.length - 1].sender === "person";
};

let lastSeenPerson = 0; // the newest person message id the staff member has had on screen

function markNewMessages(ticket, opened) {
  const ids = personMessages(ticket).map((m) => m.id);
  const newest = ids.length ? Math.max(...ids) : 0;
  if (opened) lastSeenPerson = newest;
  const fresh = ids.filter((id) => id > lastSeenPerson).length;
  ui.newMessages.hidden = fresh === 0;
  ui.newMessages.textContent = fresh === 1 ? "1 ny melding" : `${fresh} nye meldinger`;
  return fresh;
}

function renderTicket(ticket) {
  current = ticket;
  shownTicket = JSON.stringify(ticket);
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

let shownTicket = "";

/** The ticket on screen is gone: the person erased it. One clear state, nothing personal. */
function showErased() {
  current = null;
  shownTicket = "";
  ui.ticketHeading.textContent = "Personen har slettet saken";
  document.title = "Personen har slettet saken – Seniorveiviser";
  for (const list of [ui.summary, ui.messages, ui.notes, ui.transcript]) list.replaceChildren();
  ui.description.textContent = "";
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

/** Read the open ticket again; a change shows at once, with a badge for new messages. */
async function refreshTicket() {
  const id = current.id;
  let ticket;
  try {
    ticket = await staffApi("GET", `/staff/tickets/${id}`);
  } catch (error) {
    if (error.status === 404 && current && current.id === id) showErased();
    return;
  }
  if (!current || current.id !== id || JSON.stringify(ticket) === shownTicket) return;
  renderTicket(ticket);
  const fresh = markNewMessages(ticket, false);
  if (fresh) say(fresh === 1 ? "Ny melding fra personen." : `${fresh} nye meldinger fra personen.`);
}

async function openTicket(id, { focus = true } = {}) {
  showView(ui.ticketView);
  showNotice(ui.ticketProblem, "");
  await loadNames();
  if (!current || current.id !== id) {
    ui.ticketHeading.textContent = "Henter saken …";
    for (const list of [ui.summary, ui.messages, ui.notes, ui.transcript]) list.replaceChildren();
    ui.description.textContent = "";
    // No buttons until this ticket is shown: they would act on a ticket not yet on screen.
    for (const button of ui.actionButtons) button.hidden = true;
  }
  try {
    const ticket = await staffApi("GET", `/staff/tickets/${id}`);
    renderTicket(ticket);
    markNewMessages(ticket, true);
  } catch (error) {
    if (error.status === 401) return;
    if (error.status === 404 && current && current.id === id) {
      showErased();
      return;
    }
    current = null;
    ui.ticketHeading.textContent = "Fant ikke saken";
    showNotice(ui.ticketProblem, problemText(error, "åpne saken"));
    for (const button of ui.actionButtons) button.hidden = true;
  }
  if (focus) ui.ticketHeading.focus();
}

function confirmResolve() {
  // Resolving with the person's last message unanswered: ask first. Resolves to true or false.
  return new Promise((resolve) => {
    const answer = (yes) => {
      ui.resolveDialog.close();
      resolve(yes);
    };
    ui.resolveConfirm.onclick = () => answer(true);
    ui.resolveCancel.onclick = () => answer(false);
    ui.resolveDialog.oncancel = () => resolve(false);
    ui.resolveDialog.showModal();
    ui.resolveCancel.focus();
  });
}

async function act(action, button) {
  if (!current) return;
  const id = current.id;
  if (action === "resolve" && unanswered(current) && !(await confirmResolve())) {
    ui.messages.lastElementChild?.scrollIntoView({ block: "center" });
    button.focus();
    return;
  }
  showNotice(ui.ticketProblem, "");
  button.disabled = true;
  try {
    renderTicket(await staffApi("POST", `/staff/tickets/${id}/${action}`));
    say(ACTION_DONE[action]);
  } catch (error) {
    if (error.status === 401) return;
    if (error.status === 404) {
      showErased();
      return;
    }
    let message = problemText(error, ACTION_TO_DO[action]);
    if (error.status === 409 && action === "claim" && heldBySomeoneElse(current)) {
      message = `${current.assignee} har saken. Be lederen i bydelen om å ta den over.`;
    }
    showNotice(ui.ticketProblem, message);
    await openTicket(id, { focus: false });
    showNotice(ui.ticketProblem, message);
  } finally {
    button.disabled = false;
  }
  // The button may be gone now (a resolved ticket has no "Avslutt"): keep focus on the page.
  if (button.hidden) ui.ticketHeading.focus();
}

async function send(event, path, textarea, done) {
  event.preventDefault();
  if (!current) return;
  const text = textarea.value.trim();
  if (!text) {
    showNotice(ui.ticketProblem, "Skriv noe først.");
    textarea.focus();
    return;
  }
  const submit = event.target.querySelector("button[type=submit]");
  submit.disabled = true;
  showNotice(ui.ticketProblem, "");
  try {
    const ticket = await staffApi("POST", `/staff/tickets/${current.id}/${path}`, { text });
    renderTicket(ticket);
    markNewMessages(ticket, true);
    textarea.value = "";
    say(done);
    textarea.focus();
  } catch (error) {
    if (error.status === 401) return;
    if (error.status === 404) {
      showErased();
      return;
    }
    showNotice(ui.ticketProblem, problemText(error, path === "replies" ? "svare" : "lagre notatet"));
    textarea.focus();
  } finally {
    submit.disabled = false;
  }
}

// ---------------------------------------------------------------- navigation

function ticketIdFromHash() {
  const match = /^#sak-(\d{1,10})$/.exec(location.hash);
  return match ? Number(match[1]) : null;
}

async function route() {
  if (!session) {
    showLogin();
    return;
  }
  const id = ticketIdFromHash();
  if (id) {
    await openTicket(id);
  } else {
    const from = current;
    current = null;
    await showQueue({ focus: !from });
    if (from) {
      // Back from a ticket: put focus on its row, so the keyboard user is where they were.
      const link = ui.queueRows.querySelector(`a[href="#sak-${from.id}"]`);
      (link || ui.queueHeading).focus();
    }
  }
}

ui.loginForm.addEventListener("submit", logIn);
ui.logout.addEventListener("click", logOut);
ui.filterForm.addEventListener("submit", (event) => {
  event.preventDefault();
  queueState.status = ui.statusFilter.value;
  queueState.offset = 0;
  showQueue();
});
ui.statusFilter.addEventListener("change", () => {
  queueState.status = ui.statusFilter.value;
  queueState.offset = 0;
  showQueue();
});
ui.previous.addEventListener("click", () => {
  queueState.offset = Math.max(0, queueState.offset - PAGE_SIZE);
  showQueue();
});
ui.next.addEventListener("click", () => {
  queueState.offset += PAGE_SIZE;
  showQueue();
});
ui.back.addEventListener("click", (event) => {
  event.preventDefault();
  location.hash = "";
});
for (const button of ui.actionButtons) {
  button.addEventListener("click", () => act(button.dataset.action, button));
}
ui.refreshTicket.addEventListener("click", async () => {
  if (current) {
    await openTicket(current.id, { focus: false });
    if (current) say("Saken er oppdatert.");
  }
});
ui.replyForm.addEventListener("submit", (event) =>
  send(event, "replies", ui.replyText, "Svaret er sendt til personen."),
);
ui.noteForm.addEventListener("submit", (event) =>
  send(event, "notes", ui.noteText, "Notatet er lagret."),
);
window.addEventListener("hashchange", route);

let refreshing = false;

async function refresh() {
  // Keeps the screen in step without a click; a tab in the background waits until shown.
  if (refreshing || !session || document.hidden) return;
  refreshing = true;
  try {
    if (!ui.ticketView.hidden && current) await refreshTicket();
    else if (!ui.queueView.hidden) await showQueue({ quiet: true });
  } finally {
    refreshing = false;
  }
}

window.setInterval(refresh, REFRESH_SECONDS * 1000);
document.addEventListener("visibilitychange", refresh);

route();
