// Where to get help from a person: the phone numbers ("Ring oss heller", 113 at the top) and
// the notice shown when Seniorveiviser cannot answer, which gives those numbers too.

import { telHref } from "/shared/format.js";
import { contacts as fetchContacts } from "./gateway.js";
import { ui } from "./ui.js";

const CONTACT_TITLES = {
  emergency: "Nødnummer – når det er fare for liv og helse",
  legevakt: "Legevakten – akutt, men ikke livstruende",
  switchboard: "Oslo kommune – sentralbordet når alle bydeler",
};
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
  ui.callStatus.textContent = "Henter telefonnumrene …";
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
    ui.callStatus.textContent =
      "Vi fikk ikke hentet telefonnumrene akkurat nå. Lukk og åpne «Ring oss heller» for å prøve igjen.";
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
    title.textContent = CONTACT_TITLES[contact.key] || contact.label || "Telefon";
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
    ui.emergency.replaceChildren(
      "Er det fare for liv og helse? Ring ",
      phoneLink(emergency, "emergency__phone"),
      ".",
    );
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
  const parts = [];
  if (error.status === 0) {
    parts.push("Vi får ikke kontakt med Seniorveiviser akkurat nå. Er du koblet til internett?");
  } else if (error.status === 429) {
    parts.push("Du sender veldig mange meldinger. Vent litt og prøv igjen.");
  } else {
    parts.push("Seniorveiviser kan ikke svare akkurat nå.");
  }
  parts.push("Det du skrev er ikke borte. Trykk «Prøv igjen» om litt");
  ui.problemText.replaceChildren(parts.join(" "));
  if (switchboard) {
    ui.problemText.append(", eller ring Oslo kommune på ", phoneLink(switchboard), ".");
  } else {
    ui.problemText.append(", eller trykk «Ring oss heller» øverst på siden.");
  }
  // The message may not have been read: 113 must not depend on the assistant answering.
  const emergency = byKey("emergency");
  ui.problemText.append(" Er det fare for liv, ring ");
  ui.problemText.append(emergency ? phoneLink(emergency) : "113", " nå.");
  ui.problem.hidden = false;
}

export function hideProblem() {
  problem = null;
  ui.problem.hidden = true;
}
