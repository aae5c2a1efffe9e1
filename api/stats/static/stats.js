// The figures page (/staff/stats) for the service owner, admins and district leads.
// Plain JavaScript modules, no build step: this one asks for the figures of the chosen period
// and wires the page's controls. It talks only to the API (api.js), logged in through
// /shared/staff.js in the same place as the inbox, so logging in on one of the two pages logs
// in on both.

import { el, say, showNotice } from "/shared/dom.js";
import { osloDay } from "/shared/format.js";
import { session, setUpLogin, showLogin, showView } from "/shared/staff.js";
import { pageTitle, tooManyTries } from "/shared/text.js";
import * as api from "./api.js";
import { CITY_ROLES, onPress, renderCharts, renderKeyFigures, renderTables } from "./render.js";
import {
  PAGE_NAME,
  STATS,
  STATUS_TEXT,
  figuresFor,
  markedAs,
  showingRange,
} from "./text.js";
import { ui } from "./ui.js";

function currentRange() {
  return { from: ui.from.value, to: ui.to.value, period: ui.period.value };
}

async function downloadCsv(table, button) {
  const { from, to } = currentRange();
  button.disabled = true;
  try {
    const blob = await api.csv(table, { from, to });
    const link = el("a", { href: URL.createObjectURL(blob), download: `seniorveiviser-${table}-${from}-${to}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    say(STATS.downloaded);
  } catch (error) {
    if (error.status !== 401) say(STATS.notDownloaded);
  } finally {
    button.disabled = false;
  }
}

async function markGroup(group, status, button) {
  button.disabled = true;
  try {
    await api.markGroup(group.id, status);
    await showStats({ quiet: true });
    say(markedAs(STATUS_TEXT[status]));
  } catch (error) {
    if (error.status !== 401) say(STATS.notMarked);
    button.disabled = false;
  }
}

async function showStats({ focus = false, quiet = false } = {}) {
  showView(ui.statsView);
  document.title = pageTitle(PAGE_NAME);
  const range = currentRange();
  const city = CITY_ROLES.has(session.me.role);
  ui.statsHeading.textContent = city ? STATS.city : figuresFor(session.districtName || session.me.district);
  if (!quiet) say(STATS.loading);
  try {
    const [overview, series, hours, groups, feedback] = await api.figures(range, city);
    showNotice(ui.rangeError, "");
    renderKeyFigures(overview);
    renderCharts(series, hours, overview);
    renderTables(overview, groups, feedback);
    if (!quiet) say(showingRange(range.from, range.to));
  } catch (error) {
    if (error.status === 401) return;
    const message =
      error.status === 403
        ? STATS.forbidden
        : error.status === 422
          ? STATS.badRange
          : STATS.failed;
    showNotice(ui.rangeError, message);
  }
  if (focus) ui.statsHeading.focus();
}

function start() {
  const params = new URLSearchParams(location.search);
  const today = new Date();
  ui.to.value = params.get("to") || osloDay(today);
  ui.from.value = params.get("from") || osloDay(new Date(today.getTime() - 29 * 86_400_000));
  onPress({ download: downloadCsv, mark: markGroup });
  setUpLogin({
    name: PAGE_NAME,
    districtName: async (me) => {
      await api.loadNames();
      return api.districtName(me.district);
    },
    loggedIn: () => showStats({ focus: true }),
    tooMany: () => tooManyTries(),
  });
  ui.rangeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const { from, to } = currentRange();
    history.replaceState(null, "", `${location.pathname}?${new URLSearchParams({ from, to })}`);
    showStats();
  });
  if (session) {
    api.loadNames().then(() => showStats());
  } else {
    showLogin();
  }
}

start();
