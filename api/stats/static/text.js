// What the figures page says: every sentence and label the other modules put on the page.
// In bokmål; the login's sentences are in /shared/text.js, and tests/test_front_end_texts.py
// reads both.

export const PAGE_NAME = "Tall for tjenesten";

// A group of unanswered questions, as marked.
export const STATUS_TEXT = Object.freeze({
  open: "Åpen",
  added_to_catalogue: "Lagt til i katalogen",
  not_ours: "Ikke vårt",
});
export const CHANNEL_NAMES = Object.freeze({ web: "Nettprat", telegram: "Telegram" });
export const LANGUAGE_NAMES = Object.freeze({ nb: "Bokmål", nn: "Nynorsk", en: "Engelsk" });

export const NAMES = Object.freeze({
  hidden: "skjult", // a figure from fewer than 5 conversations
  unknownService: "Ukjent tjeneste",
  noDistrict: "Bydel ikke oppgitt",
  unknownLanguage: "Ikke kjent",
});

/** "12,5 min": a figure in minutes, already formatted. */
export const inMinutes = (value) => `${value} min`;

/** A week's label in a chart: "uke fra 7. des. 2026". */
export const weekFrom = (day) => `uke fra ${day}`;

/** An hour's label in a chart: "kl. 09". */
export const atHour = (hour) => `kl. ${hour}`;

// ---------------------------------------------------------------- the page

export const STATS = Object.freeze({
  city: "Tall for hele Oslo",
  loading: "Henter tallene …",
  downloaded: "CSV-filen er lastet ned.",
  notDownloaded: "Fikk ikke lastet ned filen. Prøv igjen.",
  notMarked: "Fikk ikke merket gruppen. Prøv igjen.",
  forbidden: "Du har ikke tilgang til tallene. De er for tjenesteeieren, administratorer og ledere.",
  badRange: "Velg en fra-dato som er før til-datoen, og høyst 400 dager før.",
  failed: "Fikk ikke hentet tallene. Prøv igjen om litt.",
});

/** The heading for a district lead: "Tall for Bydel Frogner". */
export const figuresFor = (district) => `Tall for ${district}`;

/** Said when the figures are shown. */
export const showingRange = (from, to) => `Viser tallene fra ${from} til ${to}.`;

/** Said when a group of questions is marked, with its new status. */
export const markedAs = (status) => `Merket som «${status}».`;

/** The label of a group's buttons: "Merk «hva koster det?»". */
export const markGroup = (example) => `Merk «${example}»`;

/** A table's download button: "Last ned tallene per dag som CSV". */
export const downloadCsv = (what) => `Last ned ${what} som CSV`;

// ---------------------------------------------------------------- charts

export const NO_FIGURES = "Ingen tall i perioden.";

/** What a screen reader says for a chart. */
export const chartTitle = (title) => `${title}, vist som søyler. Se tallene i tabellen under.`;

/** A chart's table: its caption and what opens it. */
export const tableCaption = (title) => `${title}, som tabell`;
export const tableOpener = (title) => `Tallene i «${title}» som tabell`;

// ---------------------------------------------------------------- figures and tables

// The key figures, and the charts of the same figures.
export const FIGURE = Object.freeze({
  conversations: "Samtaler",
  contained: "Løst uten et menneske",
  handoff: "Sendt videre til bydelen",
  fallback: "Meldinger ikke forstått",
  emergencies: "Nødsituasjoner (113)",
  verified: "Løst og ikke tilbake innen 7 dager (Telegram)",
  hours: "Når på døgnet samtalene begynner",
  replyMinutes: "Minutter til første svar, i åpningstid",
});

// A chart's first column: per period, hour or district.
export const PERIOD_COLUMN = Object.freeze({ day: "Dag", week: "Uke", month: "Måned" });
export const COLUMN = Object.freeze({
  hour: "Time",
  district: "Bydel",
  channel: "Kanal",
  language: "Språk",
});

// The columns after a district, channel or language.
export const FIGURE_COLUMNS = Object.freeze([
  "Samtaler",
  "Løst uten et menneske",
  "Sendt videre",
  "Ikke forstått",
  "Nødsituasjoner",
]);

/** A breakdown's table caption: "Tall per bydel", from its heading. */
export const figuresPer = (heading) => `Tall ${heading.toLowerCase()}`;

// What each CSV button downloads ("Last ned … som CSV"), by its table.
export const CSV_WHAT = Object.freeze({
  series: "tallene per dag",
  hours: "samtalene per time",
  districts: "tall per bydel",
  channels: "tall per kanal",
  languages: "tall per språk",
  services: "tjenestene",
  needs: "behovene",
  staff: "svarene fra bydelene",
  unanswered: "spørsmålene uten svar",
  feedback: "svarene om hjelp",
});

// The tables' sections: heading, what it shows, its columns, and what shows when it is empty.
export const SECTION = Object.freeze({
  districts: "Per bydel",
  channels: "Per kanal",
  languages: "Per språk",
  noConversations: "Ingen samtaler i perioden.",
  services: Object.freeze({
    title: "Tjenestene folk spør mest om",
    intro: "De 10 tjenestene flest samtaler gjaldt. En tjeneste med færre enn 5 samtaler er ikke med.",
    columns: ["Tjeneste", "Samtaler"],
    empty: "Ingen tjeneste hadde 5 samtaler eller flere.",
  }),
  needs: Object.freeze({
    title: "Behovene folk beskriver",
    intro:
      "De 10 behovene flest samtaler beskrev, før folk visste navnet på en tjeneste. Et behov med færre enn 5 samtaler er ikke med.",
    columns: ["Behov", "Samtaler"],
    empty: "Ingen behov ble beskrevet i 5 samtaler eller flere.",
  }),
  staff: Object.freeze({
    title: "Svar fra bydelene",
    intro: "Tid regnes bare i åpningstiden. «Svar innen lovet dag» er andelen av sakene med svar.",
    columns: ["Bydel", "Saker", "Til noen tok saken", "Til første svar", "Svar innen lovet dag"],
    empty: "Ingen saker i perioden.",
  }),
  unanswered: Object.freeze({
    title: "Spørsmål Seniorveiviser ikke kunne svare på",
    intro:
      "Like spørsmål er samlet i grupper. Personopplysninger er skjult, og spørsmålene slettes etter 30 dager. Merk en gruppe når den er tatt hånd om.",
    caption: "Spørsmål uten svar, siste 30 dager",
    columns: ["Eksempel", "Antall", "Sist spurt", "Status"],
    empty: "Ingen spørsmål uten svar de siste 30 dagene.",
  }),
  feedback: Object.freeze({
    title: "Var dette til hjelp?",
    intro: "Svarene folk ga etter et svar, per tjeneste, tema og språk.",
    columns: ["Tjeneste", "Tema", "Språk", "Svar", "Andel ja"],
    empty: "Ingen svar i perioden.",
  }),
});
