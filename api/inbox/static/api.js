// The inbox's calls to the API: tickets from the staff API, with the session's token, and
// the names of services and needs from the public catalogue.

import { publicRequest, staffRequest } from "/shared/staff.js";
import { districtTitle } from "/shared/text.js";

const names = { services: new Map(), needs: new Map(), loaded: null };

export function loadNames() {
  // Services and needs by their slugs, from the public catalogue API; slugs until it answers.
  names.loaded ||= Promise.all([
    publicRequest("GET", "/services?limit=100").then((page) => {
      for (const item of page.items) names.services.set(item.slug, item.name);
    }),
    publicRequest("GET", "/needs").then((needs) => {
      for (const need of needs) names.needs.set(need.slug, need.name);
    }),
  ]).catch(() => {
    names.loaded = null; // try again next time
  });
  return names.loaded;
}

export const serviceName = (slug) => (slug ? names.services.get(slug) || slug : null);
export const needName = (slug) => (slug ? names.needs.get(slug) || slug : null);

/** "Bydel Frogner" for the district `slug`, or "" when the catalogue does not answer. */
export async function districtName(slug) {
  try {
    return districtTitle((await publicRequest("GET", `/districts/${encodeURIComponent(slug)}`)).name);
  } catch {
    return "";
  }
}

/** A page of the queue: {items, total, offset}. */
export const tickets = (query) => staffRequest("GET", `/staff/tickets?${query}`);

export const ticket = (id) => staffRequest("GET", `/staff/tickets/${id}`);

/** Claim, wait, resolve or reopen: the ticket as it is after. */
export const act = (id, action) => staffRequest("POST", `/staff/tickets/${id}/${action}`);

/** A reply to the person ("replies") or an internal note ("notes"): the ticket as it is after. */
export const write = (id, path, text) =>
  staffRequest("POST", `/staff/tickets/${id}/${path}`, { text });
