// The staff inbox. Plain JavaScript modules, no build step, no framework: this one shows the
// queue or a ticket as the address says (#sak-12) and wires the page's controls.
// It talks only to the staff API (api.js), logged in through /shared/staff.js.
//
// The queue and the open ticket refresh themselves every few seconds (a tab in the background
// waits); the API writes a read to the audit log when it is opened, not at each refresh.

import { say, showNotice } from "/shared/dom.js";
import { session, setUpLogin, showLogin, showView } from "/shared/staff.js";
import { pageTitle, tooManyTries } from "/shared/text.js";
import * as api from "./api.js";
import { emptyTicket, markNewMessages, renderQueue, renderTicket, showErased } from "./render.js";
import { PAGE_SIZE, heldBySomeoneElse, open, queueState, unanswered } from "./state.js";
import {
  ACTION_DONE,
  ACTION_TO_DO,
  PAGE_NAME,
  QUEUE,
  TICKET,
  casesIn,
  heldByOther,
  listUpdated,
  newMessagesSaid,
  problemText,
  waitText,
} from "./text.js";
import { ui } from "./ui.js";

const REFRESH_SECONDS = 5;

// ---------------------------------------------------------------- the queue

async function showQueue({ focus = false, quiet = false } = {}) {
  if (!quiet) showView(ui.queueView);
  await api.loadNames();
  const district = session.districtName || session.me.district;
  ui.queueHeading.textContent = casesIn(district);
  document.title = pageTitle(casesIn(district));
  ui.statusFilter.value = queueState.status;
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(queueState.offset) });
  if (queueState.status) query.set("status", queueState.status);
  let page;
  try {
    page = await api.tickets(query);
  } catch (error) {
    if (error.status !== 401 && !quiet) say(problemText(error, ACTION_TO_DO.list));
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
  renderQueue(page, district, { quiet });
  if (focus) ui.queueHeading.focus();
  else if (quiet) say(QUEUE.changed);
  else say(listUpdated(ui.pageInfo.textContent));
}

// ---------------------------------------------------------------- one ticket

/** Read the open ticket again; a change shows at once, with a badge for new messages. */
async function refreshTicket() {
  const id = open.ticket.id;
  let ticket;
  try {
    ticket = await api.ticket(id);
  } catch (error) {
    if (error.status === 404 && open.ticket && open.ticket.id === id) showErased();
    return;
  }
  if (!open.ticket || open.ticket.id !== id || JSON.stringify(ticket) === open.shown) return;
  renderTicket(ticket);
  const fresh = markNewMessages(ticket, false);
  if (fresh) say(newMessagesSaid(fresh));
}

async function openTicket(id, { focus = true } = {}) {
  showView(ui.ticketView);
  showNotice(ui.ticketProblem, "");
  await api.loadNames();
  if (!open.ticket || open.ticket.id !== id) {
    ui.ticketHeading.textContent = TICKET.loading;
    emptyTicket();
    // No buttons until this ticket is shown: they would act on a ticket not yet on screen.
    for (const button of ui.actionButtons) button.hidden = true;
  }
  try {
    const ticket = await api.ticket(id);
    renderTicket(ticket);
    markNewMessages(ticket, true);
  } catch (error) {
    if (error.status === 401) return;
    if (error.status === 404 && open.ticket && open.ticket.id === id) {
      showErased();
      return;
    }
    open.ticket = null;
    ui.ticketHeading.textContent = TICKET.notFound;
    showNotice(ui.ticketProblem, problemText(error, ACTION_TO_DO.open));
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
  if (!open.ticket) return;
  const id = open.ticket.id;
  if (action === "resolve" && unanswered(open.ticket) && !(await confirmResolve())) {
    ui.messages.lastElementChild?.scrollIntoView({ block: "center" });
    button.focus();
    return;
  }
  showNotice(ui.ticketProblem, "");
  button.disabled = true;
  try {
    renderTicket(await api.act(id, action));
    say(ACTION_DONE[action]);
  } catch (error) {
    if (error.status === 401) return;
    if (error.status === 404) {
      showErased();
      return;
    }
    let message = problemText(error, ACTION_TO_DO[action]);
    if (error.status === 409 && action === "claim" && heldBySomeoneElse(open.ticket)) {
      message = heldByOther(open.ticket.assignee);
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
  if (!open.ticket) return;
  const text = textarea.value.trim();
  if (!text) {
    showNotice(ui.ticketProblem, TICKET.writeFirst);
    textarea.focus();
    return;
  }
  const submit = event.target.querySelector("button[type=submit]");
  submit.disabled = true;
  showNotice(ui.ticketProblem, "");
  try {
    const ticket = await api.write(open.ticket.id, path, text);
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
    showNotice(ui.ticketProblem, problemText(error, ACTION_TO_DO[path]));
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
    const from = open.ticket;
    open.ticket = null;
    await showQueue({ focus: !from });
    if (from) {
      // Back from a ticket: put focus on its row, so the keyboard user is where they were.
      const link = ui.queueRows.querySelector(`a[href="#sak-${from.id}"]`);
      (link || ui.queueHeading).focus();
    }
  }
}

setUpLogin({
  name: PAGE_NAME,
  districtName: (me) => api.districtName(me.district),
  loggedIn: async () => {
    queueState.offset = 0;
    if (location.hash) history.replaceState(null, "", location.pathname);
    await showQueue({ focus: true });
  },
  loggedOut: () => {
    if (location.hash) history.replaceState(null, "", location.pathname);
  },
  tooMany: (error) => tooManyTries(waitText(error.retryAfter)),
});
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
  if (open.ticket) {
    await openTicket(open.ticket.id, { focus: false });
    if (open.ticket) say(TICKET.refreshed);
  }
});
ui.replyForm.addEventListener("submit", (event) =>
  send(event, "replies", ui.replyText, TICKET.replied),
);
ui.noteForm.addEventListener("submit", (event) =>
  send(event, "notes", ui.noteText, TICKET.noted),
);
window.addEventListener("hashchange", route);

let refreshing = false;

async function refresh() {
  // Keeps the screen in step without a click; a tab in the background waits until shown.
  if (refreshing || !session || document.hidden) return;
  refreshing = true;
  try {
    if (!ui.ticketView.hidden && open.ticket) await refreshTicket();
    else if (!ui.queueView.hidden) await showQueue({ quiet: true });
  } finally {
    refreshing = false;
  }
}

window.setInterval(refresh, REFRESH_SECONDS * 1000);
document.addEventListener("visibilitychange", refresh);

route();
