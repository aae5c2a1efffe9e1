// The figures page's elements (stats.html), by what they are for; the login's are in
// /shared/staff.js.

import { $ } from "/shared/dom.js";

export const ui = {
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
