// The figures page (/staff/stats) for the service owner, admins and district leads.
// It talks only to the API: POST /api/auth/token, then /api/stats/... with the bearer token.
// The token is kept in this tab's sessionStorage, in the same place as the inbox keeps it, so
// logging in on one of the two pages logs in on both. Charts are inline SVG made here; every
// chart has a table with the same figures beside it.

const API = "/api";
const STORE_KEY = "seniorveiviser.inbox.v1"; // shared with the inbox (api/inbox/static)
const SVG = "http://www.w3.org/2000/svg";
const CITY_ROLES = new Set(["owner", "admin"]);
const ROLE_TEXT = { staff: "ansatt", lead: "leder", admin: "administrator", owner: "tjenesteeier" };
const STATUS_TEXT = {
  open: "Åpen",
  added_to_catalogue: "Lagt til i katalogen",
  not_ours: "Ikke vårt",
};
const HIDDEN = "skjult";

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
  statsView: $("stats-view"),
  statsHeading: $("stats-heading"),
  rangeForm: $("range-form"),
  rangeError: $("range-error"),
  from: $("from"),
  to: $("to"),
  period: $("period"),
  keyFigures: $("key-figures"),
  charts: $("charts"),
  tables: $("tables"),
};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// ---------------------------------------------------------------- numbers and names

const whole = new Intl.NumberFormat("nb-NO");
const oneDecimal = new Intl.NumberFormat("nb-NO", { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("nb-NO", { style: "percent", maximumFractionDigits: 1 });
const dayFormat = new Intl.DateTimeFormat("nb-NO", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const monthFormat = new Intl.DateTimeFormat("nb-NO", { month: "long", year: "numeric", timeZone: "UTC" });

const asCount = (value) => (value === null || value === undefined ? HIDDEN : whole.format(value));
const asRate = (value) => (value === null || value === undefined ? HIDDEN : percent.format(value));
const asMinutes = (value) =>
  value === null || value === undefined ? HIDDEN : `${oneDecimal.format(value)} min`;

function periodLabel(isoDate, period) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (period === "month") return monthFormat.format(date);
  return period === "week" ? `uke fra ${dayFormat.format(date)}` : dayFormat.format(date);
}

const names = { services: new Map(), districts: new Map() };

async function loadNames() {
  // Services and districts by their slugs, from the public catalogue API; slugs until it answers.
  try {
    const [services, districts] = await Promise.all([
      request("GET", "/services?limit=100"),
      request("GET", "/districts"),
    ]);
    for (const item of services.items) names.services.set(item.slug, item.name);
    for (const item of districts.items || districts) names.districts.set(item.slug, item.name);
  } catch {
    // Slugs are shown instead.
  }
}

const serviceName = (slug) => names.services.get(slug) || slug || "Ukjent tjeneste";
const districtName = (slug) =>
  slug ? (names.districts.has(slug) ? `Bydel ${names.districts.get(slug)}` : slug) : "Bydel ikke oppgitt";

// ---------------------------------------------------------------- the session and the API

class ApiError extends Error {
  constructor(status, detail = "") {
    super(detail || `HTTP ${status}`);
    this.status = status; // 0: no answer from the server
    this.detail = detail;
  }
}

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
    // Storage refused: the session lasts until the page is reloaded.
  }
}

async function send(method, path, { body, form, token, accept = "application/json" } = {}) {
  const headers = { Accept: `${accept}, application/problem+json` };
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
  if (response.ok) return response;
  let detail = "";
  try {
    const data = await response.json();
    detail = (data && typeof data.detail === "string" && data.detail) || "";
  } catch {
    detail = "";
  }
  throw new ApiError(response.status, detail);
}

async function request(method, path, options = {}) {
  const response = await send(method, path, options);
  return response.status === 204 ? null : response.json();
}

/** A call with the session's token; an expired session goes back to the login. */
async function statsApi(method, path, { body, accept } = {}) {
  if (!session || session.expiresAt <= Date.now()) {
    sessionEnded("Økten din er utløpt. Logg inn igjen.");
    throw new ApiError(401);
  }
  try {
    return await send(method, path, { body, accept, token: session.token });
  } catch (error) {
    if (error.status === 401) sessionEnded("Økten din er utløpt. Logg inn igjen.");
    throw error;
  }
}

function say(message) {
  ui.status.textContent = "";
  window.setTimeout(() => {
    ui.status.textContent = message;
  }, 50);
}

function showNotice(node, message) {
  node.textContent = message;
  node.hidden = !message;
}

// ---------------------------------------------------------------- views and logging in

function showView(view) {
  ui.status.textContent = "";
  for (const candidate of [ui.loginView, ui.statsView]) candidate.hidden = candidate !== view;
  ui.who.hidden = !session;
  if (session) {
    const me = session.me;
    const role = ROLE_TEXT[me.role] || me.role;
    ui.whoText.textContent = `${me.display_name} (${role}), ${session.districtName || me.district}`;
  }
}

function showLogin(message = "") {
  showView(ui.loginView);
  document.title = "Logg inn – Tall for tjenesten – Seniorveiviser";
  showNotice(ui.loginNotice, message);
  showNotice(ui.loginError, "");
  ui.password.value = "";
  if (message) ui.loginHeading.focus();
  else ui.username.focus();
}

function sessionEnded(message) {
  saveSession(null);
  showLogin(message);
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
    await loadNames();
    const districtLabel = districtName(me.district);
    saveSession({ token, expiresAt: Date.now() + granted.expires_in * 1000, me, districtName: districtLabel });
    ui.password.value = "";
    await showStats({ focus: true });
    say(`Du er logget inn som ${me.display_name}.`);
  } catch (error) {
    const message =
      error.status === 401
        ? "Feil brukernavn eller passord."
        : error.status === 429
          ? "For mange forsøk som ikke virket. Vent litt og prøv igjen."
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
      await send("DELETE", "/auth/token", { token: session.token });
    } catch {
      // The token is forgotten here either way, and it runs out by itself.
    }
  }
  saveSession(null);
  showLogin("Du er logget ut.");
}

// ---------------------------------------------------------------- charts

const CHART = { width: 640, height: 220, left: 56, right: 12, top: 12, bottom: 40 };

/** A bar chart of `values` (null = hidden) as inline SVG; the table beside it says the same. */
function barChart(title, labels, values, format) {
  const shown = values.filter((value) => value !== null && value !== undefined);
  const top = Math.max(...shown, 0) || 1;
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const step = plotWidth / Math.max(values.length, 1);
  const titleId = `chart-${title.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`;
  const chart = svg("svg", {
    viewBox: `0 0 ${CHART.width} ${CHART.height}`,
    class: "chart",
    role: "img",
    "aria-labelledby": titleId,
  });
  chart.append(svg("title", { id: titleId }, `${title}: søylediagram. Tallene står i tabellen under.`));
  for (const share of [0, 0.5, 1]) {
    const y = CHART.top + plotHeight * (1 - share);
    chart.append(
      svg("line", { x1: CHART.left, x2: CHART.width - CHART.right, y1: y, y2: y, class: "chart__grid" }),
      svg("text", { x: CHART.left - 6, y: y + 5, class: "chart__axis", "text-anchor": "end" }, format(top * share)),
    );
  }
  values.forEach((value, index) => {
    const x = CHART.left + index * step;
    if (value === null || value === undefined) {
      chart.append(svg("rect", { x: x + step * 0.15, y: CHART.top + plotHeight - 4, width: step * 0.7, height: 4, class: "chart__hidden" }));
    } else {
      const height = (value / top) * plotHeight;
      const bar = svg("rect", { x: x + step * 0.15, y: CHART.top + plotHeight - height, width: step * 0.7, height, class: "chart__bar" });
      bar.append(svg("title", {}, `${labels[index]}: ${format(value)}`));
      chart.append(bar);
    }
  });
  const every = Math.max(1, Math.ceil(values.length / 6));
  labels.forEach((label, index) => {
    if (index % every === 0) {
      chart.append(
        svg("text", { x: CHART.left + index * step + step / 2, y: CHART.height - 14, class: "chart__axis", "text-anchor": "middle" }, label),
      );
    }
  });
  return chart;
}

function figureWithTable(title, labels, values, format, columnName) {
  const heading = el("figcaption", {}, el("h3", {}, title));
  if (!labels.length) {
    return el("figure", { class: "card chart-card" }, heading, el("p", { class: "notice" }, "Ingen tall i perioden."));
  }
  const table = dataTable(
    `${title}, som tabell`,
    [columnName, title],
    labels.map((label, index) => [label, format(values[index])]),
  );
  return el(
    "figure",
    { class: "card chart-card" },
    heading,
    barChart(title, labels, values, format),
    el("details", {}, el("summary", {}, `Tallene i «${title}» som tabell`), table),
  );
}

// ---------------------------------------------------------------- tables and CSV

function dataTable(caption, headings, rows, numericFrom = 1) {
  const head = el("tr", {}, ...headings.map((heading) => el("th", { scope: "col" }, heading)));
  const body = rows.map((cells) =>
    el(
      "tr",
      {},
      ...cells.map((cell, index) =>
        index === 0 ? el("th", { scope: "row" }, cell) : el("td", { class: index >= numericFrom ? "number" : null }, cell),
      ),
    ),
  );
  return el(
    "div",
    { class: "table-wrap" },
    el("table", { class: "queue stats-table" }, el("caption", {}, caption), el("thead", {}, head), el("tbody", {}, ...body)),
  );
}

async function downloadCsv(table, button) {
  const { from, to } = currentRange();
  button.disabled = true;
  try {
    const response = await statsApi("GET", `/stats/${table}.csv?${new URLSearchParams({ from, to })}`, {
      accept: "text/csv",
    });
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: `seniorveiviser-${table}-${from}-${to}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    say("CSV-filen er lastet ned.");
  } catch (error) {
    if (error.status !== 401) say("Fikk ikke lastet ned filen. Prøv igjen.");
  } finally {
    button.disabled = false;
  }
}

function csvButton(table, what) {
  const button = el("button", { type: "button", class: "btn btn--secondary" }, `Last ned ${what} som CSV`);
  button.addEventListener("click", () => downloadCsv(table, button));
  return button;
}

function tableSection(id, title, intro, table, csv, empty) {
  return el(
    "section",
    { class: "card stats-section", "aria-labelledby": `${id}-heading` },
    el("h2", { id: `${id}-heading` }, title),
    intro ? el("p", { class: "help" }, intro) : null,
    table || el("p", { class: "notice" }, empty),
    csv,
  );
}

// ---------------------------------------------------------------- the figures

function currentRange() {
  return { from: ui.from.value, to: ui.to.value, period: ui.period.value };
}

function renderKeyFigures(overview) {
  const facts = [
    ["Samtaler", asCount(overview.conversations)],
    ["Løst uten et menneske", asRate(overview.contained_rate)],
    ["Sendt videre til bydelen", asRate(overview.handoff_rate)],
    ["Meldinger ikke forstått", asRate(overview.fallback_rate)],
    ["Nødsituasjoner (113)", asCount(overview.emergencies)],
    ["Løst og ikke tilbake innen 7 dager (Telegram)", asRate(overview.verified_containment_rate)],
  ];
  ui.keyFigures.replaceChildren(
    ...facts.map(([term, value]) => el("div", { class: "key-figure" }, el("dt", {}, term), el("dd", {}, value))),
  );
}

function renderCharts(series, overview) {
  const labels = series.rows.map((row) => periodLabel(row.period, series.period));
  const column = { day: "Dag", week: "Uke", month: "Måned" }[series.period];
  const over = (name) => series.rows.map((row) => row[name]);
  const staff = overview.staff;
  const staffLabels = staff.map((row) => districtName(row.district));
  ui.charts.replaceChildren(
    figureWithTable("Samtaler", labels, over("conversations"), asCount, column),
    figureWithTable("Løst uten et menneske", labels, over("contained_rate"), asRate, column),
    figureWithTable("Meldinger ikke forstått", labels, over("fallback_rate"), asRate, column),
    figureWithTable("Sendt videre til bydelen", labels, over("handoff_rate"), asRate, column),
    figureWithTable("Nødsituasjoner (113)", labels, over("emergencies"), asCount, column),
    figureWithTable(
      "Minutter til første svar fra bydelen (i åpningstiden)",
      staffLabels,
      staff.map((row) => row.mean_office_minutes_to_reply),
      asMinutes,
      "Bydel",
    ),
  );
}

function groupActions(group) {
  if (!CITY_ROLES.has(session.me.role)) return STATUS_TEXT[group.status] || group.status;
  const wrap = el("div", { class: "group-actions", role: "group", "aria-label": `Merk «${group.example}»` });
  for (const status of ["added_to_catalogue", "not_ours", "open"]) {
    if (status === group.status) continue;
    const button = el("button", { type: "button", class: "btn btn--tertiary" }, STATUS_TEXT[status]);
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await statsApi("POST", `/stats/unanswered/${group.id}`, { body: { status } });
        await showStats({ quiet: true });
        say(`Merket som «${STATUS_TEXT[status]}».`);
      } catch (error) {
        if (error.status !== 401) say("Fikk ikke merket gruppen. Prøv igjen.");
        button.disabled = false;
      }
    });
    wrap.append(button);
  }
  return el("div", {}, el("p", { class: "group-status" }, STATUS_TEXT[group.status] || group.status), wrap);
}

function renderTables(overview, groups, feedback) {
  const districts = overview.by_district.map((row) => [
    districtName(row.district),
    asCount(row.conversations),
    asRate(row.contained_rate),
    asRate(row.handoff_rate),
    asRate(row.fallback_rate),
    asCount(row.emergencies),
  ]);
  const services = overview.top_services.map((row) => [serviceName(row.service), asCount(row.conversations)]);
  const staff = overview.staff.map((row) => [
    districtName(row.district),
    asCount(row.tickets),
    asMinutes(row.mean_office_minutes_to_claim),
    asMinutes(row.mean_office_minutes_to_reply),
    asRate(row.replied_by_promised_day_rate),
  ]);
  const sections = [
    tableSection(
      "districts",
      "Per bydel",
      null,
      districts.length &&
        dataTable("Tall per bydel", ["Bydel", "Samtaler", "Løst uten et menneske", "Sendt videre", "Ikke forstått", "Nødsituasjoner"], districts),
      csvButton("districts", "tall per bydel"),
      "Ingen samtaler i perioden.",
    ),
    tableSection(
      "services",
      "Tjenestene folk spør mest om",
      "De 10 tjenestene flest samtaler gjaldt. En tjeneste med færre enn 5 samtaler er ikke med.",
      services.length && dataTable("Tjenestene folk spør mest om", ["Tjeneste", "Samtaler"], services),
      csvButton("services", "tjenestene"),
      "Ingen tjeneste hadde 5 samtaler eller flere.",
    ),
    tableSection(
      "staff",
      "Svar fra bydelene",
      "Tid regnes bare i åpningstiden. «Svar innen lovet dag» er andelen av sakene med svar.",
      staff.length &&
        dataTable("Svar fra bydelene", ["Bydel", "Saker", "Til noen tok saken", "Til første svar", "Svar innen lovet dag"], staff),
      csvButton("staff", "svarene fra bydelene"),
      "Ingen saker i perioden.",
    ),
    tableSection(
      "unanswered",
      "Spørsmål Seniorveiviser ikke kunne svare på",
      "Like spørsmål er samlet i grupper. Personopplysninger er skjult, og spørsmålene slettes etter 30 dager. Merk en gruppe når den er tatt hånd om.",
      groups.length &&
        dataTable(
          "Spørsmål uten svar, siste 30 dager",
          ["Eksempel", "Antall", "Sist spurt", "Status"],
          groups.map((group) => [group.example, asCount(group.count), dayFormat.format(new Date(`${group.last_asked}T00:00:00Z`)), groupActions(group)]),
          4,
        ),
      csvButton("unanswered", "spørsmålene uten svar"),
      "Ingen spørsmål uten svar de siste 30 dagene.",
    ),
  ];
  if (feedback) {
    sections.push(
      tableSection(
        "feedback",
        "Var dette til hjelp?",
        "Svarene folk ga etter et svar, per tjeneste, tema og språk.",
        feedback.length &&
          dataTable(
            "Var dette til hjelp?",
            ["Tjeneste", "Tema", "Språk", "Svar", "Andel ja"],
            feedback.map((row) => [serviceName(row.service), row.aspect || "–", row.language || "–", asCount(row.answers), asRate(row.helpful_rate)]),
            3,
          ),
        csvButton("feedback", "svarene om hjelp"),
        "Ingen svar i perioden.",
      ),
    );
  }
  ui.tables.replaceChildren(...sections);
}

async function showStats({ focus = false, quiet = false } = {}) {
  showView(ui.statsView);
  document.title = "Tall for tjenesten – Seniorveiviser";
  const { from, to, period } = currentRange();
  const query = new URLSearchParams({ from, to });
  const city = CITY_ROLES.has(session.me.role);
  ui.statsHeading.textContent = city ? "Tall for hele Oslo" : `Tall for ${session.districtName || session.me.district}`;
  if (!quiet) say("Henter tallene …");
  try {
    const [overview, series, groups, feedback] = await Promise.all([
      statsApi("GET", `/stats/overview?${query}`).then((r) => r.json()),
      statsApi("GET", `/stats/series?${query}&period=${period}`).then((r) => r.json()),
      statsApi("GET", "/stats/unanswered").then((r) => r.json()),
      city ? statsApi("GET", `/stats/feedback?${query}`).then((r) => r.json()) : null,
    ]);
    showNotice(ui.rangeError, "");
    renderKeyFigures(overview);
    renderCharts(series, overview);
    renderTables(overview, groups, feedback);
    if (!quiet) say(`Viser tallene fra ${from} til ${to}.`);
  } catch (error) {
    if (error.status === 401) return;
    const message =
      error.status === 403
        ? "Du har ikke tilgang til tallene. De er for tjenesteeieren, administratorer og ledere."
        : error.status === 422
          ? "Velg en fra-dato som er før til-datoen, og høyst 400 dager før."
          : "Fikk ikke hentet tallene. Prøv igjen om litt.";
    showNotice(ui.rangeError, message);
  }
  if (focus) ui.statsHeading.focus();
}

// ---------------------------------------------------------------- start

function isoDay(date) {
  return date.toLocaleDateString("sv-SE", { timeZone: "Europe/Oslo" }); // YYYY-MM-DD
}

function start() {
  const params = new URLSearchParams(location.search);
  const today = new Date();
  ui.to.value = params.get("to") || isoDay(today);
  ui.from.value = params.get("from") || isoDay(new Date(today.getTime() - 29 * 86_400_000));
  ui.loginForm.addEventListener("submit", logIn);
  ui.logout.addEventListener("click", logOut);
  ui.rangeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const { from, to } = currentRange();
    history.replaceState(null, "", `${location.pathname}?${new URLSearchParams({ from, to })}`);
    showStats();
  });
  if (session) {
    loadNames().then(() => showStats());
  } else {
    showLogin();
  }
}

start();
