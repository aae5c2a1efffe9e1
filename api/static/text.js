// What the staff pages (/staff, /staff/stats) both say: logging in and out, and who is logged
// in. Each page's own sentences are in its own text.js. In bokmål; tests/test_front_end_texts.py
// reads this file.

// The roles of core's accounts, as the header names them.
export const ROLE_TEXT = Object.freeze({
  staff: "ansatt",
  lead: "leder",
  admin: "administrator",
  owner: "tjenesteeier",
});

export const LOGIN = Object.freeze({
  expired: "Økten din er utløpt. Logg inn igjen.",
  loggedOut: "Du er logget ut.",
  missing: "Skriv både brukernavn og passord.",
  wrong: "Feil brukernavn eller passord.",
  noContact: "Fikk ikke kontakt med serveren. Prøv igjen.",
  failed: "Innloggingen virket ikke. Prøv igjen om litt.",
});

/** "Bydel Frogner", from the catalogue's name of the district. */
export const districtTitle = (name) => `Bydel ${name}`;

/** The browser tab's title: "Sak 2026-0001 – Seniorveiviser". */
export const pageTitle = (what) => `${what} – Seniorveiviser`;

/** The login view's title on the page called `page` ("Innboks for bydelen"). */
export const loginTitle = (page) => pageTitle(`Logg inn – ${page}`);

/** Said to screen readers once logged in. */
export const loggedInAs = (name) => `Du er logget inn som ${name}.`;

/** "Kari Nordmann (leder), Bydel Frogner": who is logged in, in the header. */
export const whoText = (name, role, district) => `${name} (${role}), ${district}`;

/** A locked login: how long to wait is "litt" unless the page knows ("15 minutter"). */
export const tooManyTries = (wait = "litt") =>
  `For mange forsøk som ikke virket. Vent ${wait} og prøv igjen.`;
