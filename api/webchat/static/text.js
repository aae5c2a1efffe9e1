// Every sentence the web chat's scripts show (tests/test_front_end_texts.py reads them).

export const SENDER = Object.freeze({
  you: "Du",
  assistant: "Seniorveiviser",
  staff: "Fra en ansatt i bydelen",
  notice: "Til deg",
  noticeAboutCase: "Om saken din",
});

export const fromDistrict = (name) => `Fra ${/^bydel\b/i.test(name) ? name : `Bydel ${name}`}`;

export const atTime = (clock) => `kl. ${clock}`;

export const CHAT = Object.freeze({
  welcome:
    "Hei! Jeg svarer på spørsmål om hjelp for eldre i Oslo: hjemmesykepleie, trygghetsalarm, " +
    "dagsenter, praktisk hjelp og mye mer. Skriv spørsmålet ditt nederst på siden.",
  choices: "Svarvalg",
  failed: "Ikke sendt ennå",
  sending: "Sender …",
  writing: "Seniorveiviser skriver …",
  retrying: "Prøver igjen …",
  forwarded:
    "Meldingen din er sendt til en ansatt i bydelen. Svaret kommer her, på denne " +
    "enheten. Du kan lukke siden og komme tilbake.",
  empty: "Skriv et spørsmål først.",
  refused: "Meldingen kunne ikke sendes. Prøv å skrive den kortere.",
  restoring: "Henter samtalen din …",
  notRestored:
    "Vi fikk ikke hentet de tidligere meldingene akkurat nå. Last inn siden på nytt om litt.",
});

export const ERASE = Object.freeze({
  done: "Samtalen er slettet. Nå kan du skrive på nytt.",
  failed:
    "Samtalen ble ikke slettet, fordi vi ikke fikk kontakt. Trykk «Ja, slett samtalen» for å prøve igjen.",
});

export const CONTACT_TITLES = Object.freeze({
  emergency: "Nødnummer – når det er fare for liv og helse",
  legevakt: "Legevakten – akutt, men ikke livstruende",
  switchboard: "Oslo kommune, sentralbordet (alle bydeler)",
});

export const CALL = Object.freeze({
  loading: "Henter telefonnumrene …",
  notLoaded:
    "Vi fikk ikke hentet telefonnumrene akkurat nå. Lukk og åpne «Ring oss heller» for å prøve igjen.",
  phone: "Telefon",
});

// With a phone number in it: `phone`, `switchboard` and `emergency` are links, or null.
export const emergencyLine = (phone) => ["Er det fare for liv og helse? Ring ", phone, "."];

export function problemLine(status, switchboard, emergency) {
  const cause =
    status === 0
      ? "Vi får ikke kontakt med Seniorveiviser akkurat nå. Er du koblet til internett?"
      : status === 429
        ? "Du sender veldig mange meldinger. Vent litt og prøv igjen."
        : "Seniorveiviser kan ikke svare akkurat nå.";
  return [
    `${cause} Det du skrev er ikke borte. Trykk «Prøv igjen» om litt`,
    ...(switchboard
      ? [", eller ring Oslo kommune på ", switchboard, "."]
      : [", eller trykk «Ring oss heller» øverst på siden."]),
    " Er det fare for liv, ring ",
    emergency || "113",
    " nå.",
  ];
}

// In the answer's language: nb, nn and en.
export const FEEDBACK = Object.freeze({
  nb: Object.freeze({ question: "Var dette til hjelp?", yes: "Ja", no: "Nei", thanks: "Takk for svaret." }),
  nn: Object.freeze({ question: "Var dette til hjelp?", yes: "Ja", no: "Nei", thanks: "Takk for svaret." }),
  en: Object.freeze({
    question: "Was this helpful?",
    yes: "Yes",
    no: "No",
    thanks: "Thank you for answering.",
  }),
});
