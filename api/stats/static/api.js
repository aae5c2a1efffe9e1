// The figures page's calls to the API: /api/stats/... with the session's token, and the names
// of services and districts from the public catalogue.

import { publicRequest, staffRequest, staffSend } from "/shared/staff.js";
import { districtTitle } from "/shared/text.js";
import { NAMES } from "./text.js";

const names = { services: new Map(), districts: new Map(), needs: new Map() };

export async function loadNames() {
  // Services and districts by their slugs, from the public catalogue API; slugs until it answers.
  try {
    const [services, districts, needs] = await Promise.all([
      publicRequest("GET", "/services?limit=100"),
      publicRequest("GET", "/districts"),
      publicRequest("GET", "/needs"),
    ]);
    for (const item of services.items) names.services.set(item.slug, item.name);
    for (const item of districts.items || districts) names.districts.set(item.slug, item.name);
    for (const item of needs) names.needs.set(item.slug, item.name);
  } catch {
    // Slugs are shown instead.
  }
}

export const serviceName = (slug) => names.services.get(slug) || slug || NAMES.unknownService;
export const needName = (slug) => names.needs.get(slug) || slug;
export const districtName = (slug) =>
  slug ? (names.districts.has(slug) ? districtTitle(names.districts.get(slug)) : slug) : NAMES.noDistrict;

/** All the page shows for `from`–`to`, over time per `period`; feedback only for the city. */
export function figures({ from, to, period }, city) {
  const query = new URLSearchParams({ from, to });
  return Promise.all([
    staffRequest("GET", `/stats/overview?${query}`),
    staffRequest("GET", `/stats/series?${query}&period=${period}`),
    staffRequest("GET", `/stats/hours?${query}`),
    staffRequest("GET", "/stats/unanswered"),
    city ? staffRequest("GET", `/stats/feedback?${query}`) : null,
  ]);
}

/** One table's figures for `from`–`to` as a CSV file (a Blob). */
export async function csv(table, { from, to }) {
  const query = new URLSearchParams({ from, to });
  const response = await staffSend("GET", `/stats/${table}.csv?${query}`, { accept: "text/csv" });
  return response.blob();
}

/** Mark a group of unanswered questions "open", "added_to_catalogue" or "not_ours". */
export const markGroup = (id, status) =>
  staffRequest("POST", `/stats/unanswered/${id}`, { status });
