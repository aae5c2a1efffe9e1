// What the inbox holds while it is open: the queue as asked for, the ticket on the screen, and
// what the staff member may do with it.

import { session } from "/shared/staff.js";

export const PAGE_SIZE = 20;

// seen: ticket id -> its updated_at when this staff member last saw it: listed when they asked
// for the list, or opened. A row that changed since, or came by a refresh, is marked "Nytt".
export const queueState = { status: "", offset: 0, seen: new Map(), shown: "" };

// ticket: the ticket on the screen (null for none); shown: it as JSON, to see a change;
// lastSeenPerson: the newest person message id the staff member has had on screen.
export const open = { ticket: null, shown: "", lastSeenPerson: 0 };

export const heldBySomeoneElse = (ticket) =>
  ["claimed", "waiting_for_person"].includes(ticket.status) &&
  ticket.assignee &&
  ticket.assignee !== session.me.display_name;

export function allowed(ticket) {
  const purged = Boolean(ticket.purged_at);
  const resolved = ticket.status === "resolved";
  return {
    // Taking a ticket someone else holds is for leads and admins (the API says 409 to staff).
    claim:
      !resolved &&
      (ticket.status !== "claimed" || ticket.assignee !== session.me.display_name) &&
      !(heldBySomeoneElse(ticket) && session.me.role === "staff"),
    waiting: ticket.status === "claimed",
    resolve: !resolved,
    reopen: resolved && !purged,
    reply: !resolved && !purged,
  };
}

/** The person wrote last, and no one at the district has answered since. */
export const unanswered = (ticket) => {
  const talk = ticket.messages.filter((m) => m.sender === "person" || m.sender === "staff");
  return talk.length > 0 && talk[talk.length - 1].sender === "person";
};

/** How many of the person's messages are newer than the last seen; `opened`: all seen now. */
export function freshMessages(ticket, opened) {
  const ids = ticket.messages.filter((m) => m.sender === "person").map((m) => m.id);
  const newest = ids.length ? Math.max(...ids) : 0;
  if (opened) open.lastSeenPerson = newest;
  return ids.filter((id) => id > open.lastSeenPerson).length;
}
