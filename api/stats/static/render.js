// Showing the figures: key figures for the whole period, charts over time, and the tables.
// A figure from fewer than 5 conversations comes as null from the API and shows as "skjult".

import { el } from "/shared/dom.js";
import { session } from "/shared/staff.js";
import { districtName, needName, serviceName } from "./api.js";
import { dataTable, figureWithTable, tableSection } from "./charts.js";
import { ui } from "./ui.js";

export const CITY_ROLES = new Set(["owner", "admin"]);
export const STATUS_TEXT = {
  open: "Åpen",
  added_to_catalogue: "Lagt til i katalogen",
  not_ours: "Ikke vårt",
};
const HIDDEN = "skjult";
const CHANNEL_NAMES = { web: "Nettprat", telegram: "Telegram" };
const LANGUAGE_NAMES = { nb: "Bokmål", nn: "Nynorsk", en: "Engelsk" };

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

// What the buttons in the tables do (see onPress).
let handlers = { download: () => {}, mark: () => {} };

/** `download(table, button)`: a CSV button; `mark(group, status, button)`: a group's mark. */
export function onPress(pressed) {
  handlers = pressed;
}

function csvButton(table, what) {
  const button = el("button", { type: "button", class: "btn btn--secondary" }, `Last ned ${what} som CSV`);
  button.addEventListener("click", () => handlers.download(table, button));
  return button;
}

export function renderKeyFigures(overview) {
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

export function renderCharts(series, hours, overview) {
  const labels = series.rows.map((row) => periodLabel(row.period, series.period));
  const column = { day: "Dag", week: "Uke", month: "Måned" }[series.period];
  const over = (name) => series.rows.map((row) => row[name]);
  const staff = overview.staff;
  const staffLabels = staff.map((row) => districtName(row.district));
  ui.charts.replaceChildren(
    figureWithTable("Samtaler", labels, over("conversations"), asCount, column, csvButton("series", "tallene per dag")),
    figureWithTable("Løst uten et menneske", labels, over("contained_rate"), asRate, column),
    figureWithTable("Meldinger ikke forstått", labels, over("fallback_rate"), asRate, column),
    figureWithTable("Sendt videre til bydelen", labels, over("handoff_rate"), asRate, column),
    figureWithTable("Nødsituasjoner (113)", labels, over("emergencies"), asCount, column),
    figureWithTable(
      "Når på døgnet samtalene begynner",
      hours.map((row) => `kl. ${String(row.hour).padStart(2, "0")}`),
      hours.map((row) => row.conversations),
      asCount,
      "Time",
      csvButton("hours", "samtalene per time"),
    ),
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
    button.addEventListener("click", () => handlers.mark(group, status, button));
    wrap.append(button);
  }
  return el("div", {}, el("p", { class: "group-status" }, STATUS_TEXT[group.status] || group.status), wrap);
}

const FIGURE_COLUMNS = ["Samtaler", "Løst uten et menneske", "Sendt videre", "Ikke forstått", "Nødsituasjoner"];

/** A row of the main figures, after its label: a district, a channel or a language. */
function figureRow(label, row) {
  return [
    label,
    asCount(row.conversations),
    asRate(row.contained_rate),
    asRate(row.handoff_rate),
    asRate(row.fallback_rate),
    asCount(row.emergencies),
  ];
}

function breakdownSection(table, heading, column, rows, csvWhat) {
  return tableSection(
    table,
    heading,
    null,
    rows.length && dataTable(`Tall ${heading.toLowerCase()}`, [column, ...FIGURE_COLUMNS], rows),
    csvButton(table, csvWhat),
    "Ingen samtaler i perioden.",
  );
}

export function renderTables(overview, groups, feedback) {
  const districts = overview.by_district.map((row) => figureRow(districtName(row.district), row));
  const channels = overview.by_channel.map((row) => figureRow(CHANNEL_NAMES[row.channel] || row.channel, row));
  const languages = overview.by_language.map((row) => figureRow(LANGUAGE_NAMES[row.language] || "Ikke kjent", row));
  const services = overview.top_services.map((row) => [serviceName(row.service), asCount(row.conversations)]);
  const needs = overview.top_needs.map((row) => [needName(row.need), asCount(row.conversations)]);
  const staff = overview.staff.map((row) => [
    districtName(row.district),
    asCount(row.tickets),
    asMinutes(row.mean_office_minutes_to_claim),
    asMinutes(row.mean_office_minutes_to_reply),
    asRate(row.replied_by_promised_day_rate),
  ]);
  const sections = [
    breakdownSection("districts", "Per bydel", "Bydel", districts, "tall per bydel"),
    breakdownSection("channels", "Per kanal", "Kanal", channels, "tall per kanal"),
    breakdownSection("languages", "Per språk", "Språk", languages, "tall per språk"),
    tableSection(
      "services",
      "Tjenestene folk spør mest om",
      "De 10 tjenestene flest samtaler gjaldt. En tjeneste med færre enn 5 samtaler er ikke med.",
      services.length && dataTable("Tjenestene folk spør mest om", ["Tjeneste", "Samtaler"], services),
      csvButton("services", "tjenestene"),
      "Ingen tjeneste hadde 5 samtaler eller flere.",
    ),
    tableSection(
      "needs",
      "Behovene folk beskriver",
      "De 10 behovene flest samtaler beskrev, før folk visste navnet på en tjeneste. Et behov med færre enn 5 samtaler er ikke med.",
      needs.length && dataTable("Behovene folk beskriver", ["Behov", "Samtaler"], needs),
      csvButton("needs", "behovene"),
      "Ingen behov ble beskrevet i 5 samtaler eller flere.",
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
