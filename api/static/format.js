// Small formatting rules more than one page follows.

/** A `tel:` link's address for a phone number as people write it ("22 12 34 56"). */
export const telHref = (phone) => `tel:${phone.replace(/[^+\d]/g, "")}`;

/** The date in Oslo, as "YYYY-MM-DD". */
export function osloDay(date = new Date()) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Oslo" }).format(date);
}
