// Charts and tables. A chart is inline SVG made here; every chart has a table with the same
// figures beside it.

import { el } from "/shared/dom.js";
import { NO_FIGURES, chartTitle, tableCaption, tableOpener } from "./text.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

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
  chart.append(svg("title", { id: titleId }, chartTitle(title)));
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

/** A chart with its table; `csv`, when given, is the button that downloads its figures. */
export function figureWithTable(title, labels, values, format, columnName, csv = null) {
  const heading = el("figcaption", {}, el("h3", {}, title));
  if (!labels.length) {
    return el("figure", { class: "card chart-card" }, heading, el("p", { class: "notice" }, NO_FIGURES));
  }
  const table = dataTable(
    tableCaption(title),
    [columnName, title],
    labels.map((label, index) => [label, format(values[index])]),
  );
  return el(
    "figure",
    { class: "card chart-card" },
    heading,
    barChart(title, labels, values, format),
    el("details", {}, el("summary", {}, tableOpener(title)), table),
    csv,
  );
}

export function dataTable(caption, headings, rows, numericFrom = 1) {
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

export function tableSection(id, title, intro, table, csv, empty) {
  return el(
    "section",
    { class: "card stats-section", "aria-labelledby": `${id}-heading` },
    el("h2", { id: `${id}-heading` }, title),
    intro ? el("p", { class: "help" }, intro) : null,
    table || el("p", { class: "notice" }, empty),
    csv,
  );
}
