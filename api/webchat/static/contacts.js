// Where to get help from a person: the phone numbers ("Ring oss heller", 113 at the top) and
// the notice shown when Seniorveiviser cannot answer, which gives those numbers too.

import { telHref } from "/shared/format.js";
import { contacts as fetchContacts } from "./gateway.js";
import { CALL, CONTACT_TITLES, emergencyLine, problemLine } from "./text.js";
import { ui } from "./ui.js";

const CONTACT_ORDER = ["emergency", "legevakt", "switchboard"];

let contacts = [];
let problem = null;

function contactList(data) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data.items)) return data.items;
  if (data && Array.isArray(data.contacts)) return data.contacts;
  return [];
}

const byKey = (key) => contacts.find((contact) => contact.key === key && contact.phone);

function phoneLink(contact, className = "") {
  const link = document.createElement("a");
  link.href = telHref(contact.phone);
  link.textContent = contact.phone;
  if (className) link.className = className;
  return link;
}

export async function loadContacts() {
  ui.callStatus.hidden = false;
  ui.callStatus.textContent = CALL.loading;
  try {
    contacts = contactList(await fetchContacts()).filter((c) => c && c.phone);
  } catch {
    contacts = [];
  }
  renderContacts();
}

function renderContacts() {
  ui.callList.replaceChildren();
  if (!contacts.length) {
    ui.callStatus.hidden = false;
    ui.callStatus.textContent = CALL.notLoaded;
    return;
  }
  ui.callStatus.hidden = true;
  const rank = (contact) => {
    const index = CONTACT_ORDER.indexOf(contact.key);
    return index === -1 ? CONTACT_ORDER.length : index;
  };
  for (const contact of [...contacts].sort((a, b) => rank(a) - rank(b))) {
    const item = document.createElement("li");
    item.className = `call-list__item${contact.key === "emergency" ? " call-list__item--emergency" : ""}`;
    const title = document.createElement("p");
    title.className = "call-list__title";
    title.textContent = CONTACT_TITLES[contact.key] || contact.label || CALL.phone;
    item.append(title, phoneLink(contact, "call-list__phone"));
    if (contact.opening_hours) {
      const hours = document.createElement("p");
      hours.className = "call-list__hours";
      hours.textContent = contact.opening_hours;
      item.append(hours);
    }
    ui.callList.append(item);
  }
  const emergency = byKey("emergency");
  if (emergency) {
    ui.emergency.replaceChildren(...emergencyLine(phoneLink(emergency, "emergency__phone")));
    ui.emergency.hidden = false;
  }
  if (problem) showProblem(problem); // now with the switchboard's number
}

export function toggleCallPanel() {
  const open = ui.callToggle.getAttribute("aria-expanded") !== "true";
  ui.callToggle.setAttribute("aria-expanded", String(open));
  ui.callPanel.hidden = !open;
  if (open) {
    if (!contacts.length) loadContacts();
    ui.callPanel.scrollIntoView({ block: "start" }); // 113 first, below the bar at the top
  }
}

/** Seniorveiviser cannot answer (an ApiError, see gateway.js): say so, and whom to call. */
export function showProblem(error) {
  problem = error;
  const switchboard = byKey("switchboard");
  // The message may not have been read: 113 must not depend on the assistant answering.
  const emergency = byKey("emergency");
  ui.problemText.replaceChildren(
    ...problemLine(
      error.status,
      switchboard ? phoneLink(switchboard) : null,
      emergency ? phoneLink(emergency) : null,
    ),
  );
  ui.problem.hidden = false;
}

export function hideProblem() {
  problem = null;
  ui.problem.hidden = true;
}
