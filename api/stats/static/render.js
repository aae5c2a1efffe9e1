// Showing the figures: key figures for the whole period, charts over time, and the tables.
// A figure from fewer than 5 conversations comes as null from the API and shows as "skjult".

import { el } from "/shared/dom.js";
import { session } from "/shared/staff.js";
import { districtName, needName, serviceName } from "./api.js";
import { dataTable, figureWithTable, tableSection } from "./charts.js";
import {
  CHANNEL_NAMES,
  COLUMN,
  CSV_WHAT,
  FIGURE,
  FIGURE_COLUMNS,
  LANGUAGE_NAMES,
  NAMES,
  PERIOD_COLUMN,
  SECTION,
  STATUS_TEXT,
  atHour,
  downloadCsv,
  figuresPer,
  inMinutes,
  markGroup,
  weekFrom,
} from "./text.js";
import { ui } from "./ui.js";

export const CITY_ROLES = new Set(["owner", "admin"]);
const HIDDEN = NAMES.hidden;

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
  value === null || value === undefined ? HIDDEN : inMinutes(oneDecimal.format(value));

function periodLabel(isoDate, period) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (period === "month") return monthFormat.format(date);
  return period === "week" ? weekFrom(dayFormat.format(date)) : dayFormat.format(date);
}

// What the buttons in the tables do (see onPress).
let handlers = { download: () => {}, mark: () => {} };

/** `download(table, button)`: a CSV button; `mark(group, status, button)`: a group's mark. */
export function onPress(pressed) {
  handlers = pressed;
}

function csvButton(table) {
  const button = el("button", { type: "button", class: "btn btn--secondary" }, downloadCsv(CSV_WHAT[table]));
  button.addEventListener("click", () => handlers.download(table, button));
  return button;
}

export function renderKeyFigures(overview) {
  const facts = [
    [FIGURE.conversations, asCount(overview.conversations)],
    [FIGURE.contained, asRate(overview.contained_rate)],
    [FIGURE.handoff, asRate(overview.handoff_rate)],
    [FIGURE.fallback, asRate(overview.fallback_rate)],
    [FIGURE.emergencies, asCount(overview.emergencies)],
    [FIGURE.verified, asRate(overview.verified_containment_rate)],
  ];
  ui.keyFigures.replaceChildren(
    ...facts.map(([term, value]) => el("div", { class: "key-figure" }, el("dt", {}, term), el("dd", {}, value))),
  );
}

export function renderCharts(series, hours, overview) {
  const labels = series.rows.map((row) => periodLabel(row.period, series.period));
  const column = PERIOD_COLUMN[series.period];
  const over = (name) => series.rows.map((row) => row[name]);
  const staff = overview.staff;
  const staffLabels = staff.map((row) => districtName(row.district));
  ui.charts.replaceChildren(
    figureWithTable(FIGURE.conversations, labels, over("conversations"), asCount, column, csvButton("series")),
    figureWithTable(FIGURE.contained, labels, over("contained_rate"), asRate, column),
    figureWithTable(FIGURE.fallback, labels, over("fallback_rate"), asRate, column),
    figureWithTable(FIGURE.handoff, labels, over("handoff_rate"), asRate, column),
    figureWithTable(FIGURE.emergencies, labels, over("emergencies"), asCount, column),
    figureWithTable(
      FIGURE.hours,
      hours.map((row) => atHour(String(row.hour).padStart(2, "0"))),
      hours.map((row) => row.conversations),
      asCount,
      COLUMN.hour,
      csvButton("hours"),
    ),
    figureWithTable(
      FIGURE.replyMinutes,
      staffLabels,
      staff.map((row) => row.mean_office_minutes_to_reply),
      asMinutes,
      COLUMN.district,
    ),
  );
}

function groupActions(group) {
  if (!CITY_ROLES.has(session.me.role)) return STATUS_TEXT[group.status] || group.status;
  const wrap = el("div", { class: "group-actions", role: "group", "aria-label": markGroup(group.example) });
  for (const status of ["added_to_catalogue", "not_ours", "open"]) {
    if (status === group.status) continue;
    const button = el("button", { type: "button", class: "btn btn--tertiary" }, STATUS_TEXT[status]);
    button.addEventListener("click", () => handlers.mark(group, status, button));
    wrap.append(button);
  }
  return el("div", {}, el("p", { class: "group-status" }, STATUS_TEXT[group.status] || group.status), wrap);
}

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

function breakdownSection(table, column, rows) {
  const heading = SECTION[table];
  return tableSection(
    table,
    heading,
    null,
    rows.length && dataTable(figuresPer(heading), [column, ...FIGURE_COLUMNS], rows),
    csvButton(table),
    SECTION.noConversations,
  );
}

/** A section of its own (SECTION[table]): heading, intro, table or what shows without one. */
function ownSection(table, rows, numericFrom = 1) {
  const text = SECTION[table];
  const caption = text.caption || text.title;
  return tableSection(
    table,
    text.title,
    text.intro,
    rows.length && dataTable(caption, text.columns, rows, numericFrom),
    csvButton(table),
    text.empty,
  );
}

export function renderTables(overview, groups, feedback) {
  const districts = overview.by_district.map((row) => figureRow(districtName(row.district), row));
  const channels = overview.by_channel.map((row) => figureRow(CHANNEL_NAMES[row.channel] || row.channel, row));
  const languages = overview.by_language.map((row) => figureRow(LANGUAGE_NAMES[row.language] || NAMES.unknownLanguage, row));
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
    breakdownSection("districts", COLUMN.district, districts),
    breakdownSection("channels", COLUMN.channel, channels),
    breakdownSection("languages", COLUMN.language, languages),
    ownSection("services", services),
    ownSection("needs", needs),
    ownSection("staff", staff),
    ownSection(
      "unanswered",
      groups.map((group) => [group.example, asCount(group.count), dayFormat.format(new Date(`${group.last_asked}T00:00:00Z`)), groupActions(group)]),
      4,
    ),
  ];
  if (feedback) {
    sections.push(
      ownSection(
        "feedback",
        feedback.map((row) => [serviceName(row.service), row.aspect || "–", row.language || "–", asCount(row.answers), asRate(row.helpful_rate)]),
        3,
      ),
    );
  }
  ui.tables.replaceChildren(...sections);
}
