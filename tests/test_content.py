"""The catalogue invents nothing: every claim and source traces back to shared/facts.

The facts dossier is split into its numbered sections. Each content file names the
sections it draws on in its first comment line ("Facts: ... section 1 and 3."). A
number-bearing claim (a price, a phone number, an age, a quota, a year, a law
paragraph, an address) is read as a kind and a value ("kr" 275, "tlf" 23242850,
"§" 3-2 nr6a), and the same kind and value must stand in those sections. A source must
be a URL those sections give, and the dossier's markers ([SIKKER], [USIKKER],
[GENERELL], [LOV – egen kunnskap]) bound how sure a fact may claim to be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pytest

from services_catalog.loader import CONTENT_DIR, Catalogue
from services_catalog.schemas import Certainty, Contact, Cost, Fact, FactKind
from tests.conftest import SHARED

FACTS = (SHARED / "facts" / "oslo_services.md").read_text("utf-8")
URL = re.compile(r"https?://(?:[^\s()<>\]|]|\([^\s()]*\))+")
MONTHS = [
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
]  # fmt: skip
# The word after a number tells what it counts; plural forms and nynorsk/English fold in.
UNITS = {
    "kr": "kr", "kroner": "kr", "nok": "kr",
    "år": "år", "års": "år", "years": "år", "year": "år",
    "uke": "uke", "uker": "uke", "uka": "uke", "veke": "uke", "veker": "uke", "weeks": "uke",
    "dag": "dag", "dager": "dag", "dagar": "dag", "days": "dag", "day": "dag",
    "døgn": "døgn",
    "time": "time", "timer": "time", "timar": "time", "hours": "time", "hour": "time",
    "min": "min", "minutt": "min", "minutter": "min", "minutes": "min",
    "måned": "måned", "måneder": "måned", "mnd": "måned", "månad": "måned", "month": "måned",
    "person": "person", "personer": "person", "people": "person",
}  # fmt: skip
PLURAL_UNITS = {
    "plass": "plass", "plasser": "plass", "places": "plass",
    "leilighet": "leilighet", "leiligheter": "leilighet", "flats": "leilighet",
    "reise": "reise", "reiser": "reise", "trips": "reise",
    "bydel": "bydel", "bydeler": "bydel", "bydelar": "bydel", "districts": "bydel",
    "dispensere": "dispenser", "brukere": "bruker", "innbyggere": "innbygger",
}  # fmt: skip
STREET = r"(?:veien|vei|gate|gata|grenda|plass|bakken)"
CLAIM = re.compile(
    r"(?P<law>§§?\s*\d+(?:-\d+)?(?:\s[a-e](?![\wæøå]))?(?:\s*(?:–|-|og)\s*\d+(?:-\d+)?)?"
    r"(?:\s(?:første ledd\s)?nr\.\s*\d+(?:\s(?:bokstav\s)?[a-e](?![\wæøå]))?)?)"
    r"|(?P<nr>nr\.\s*\d+(?:\s(?:bokstav\s)?[a-e](?![\wæøå]))?)"
    r"|(?P<amount>(?<![\d,])\d{1,3}(?: \d{3})+(?:,\d+)?(?=\s*(?:kr\b|kroner|innbyggere|døgn)))"
    r"|(?P<phone>(?:\(?\+47\)?\s*)?(?<![\d,])(?:\d{2} \d{2} \d{2} \d{2}|\d{3} \d{2} \d{3}"
    r"|\d{3} \d{3}|0\d{4})(?!\d|,\d))"
    r"|(?P<numdate>(?<!\d)\d{1,2}\.\d{1,2}\.\d{4})"
    rf"|(?P<date>(?<!\d)\d{{1,2}}\.\s*(?:{'|'.join(MONTHS)}))"
    r"|(?P<clock>(?<!\d)\d{1,2}:\d{2}(?:\s*[–-]\s*\d{1,2}:\d{2})?)"
    r"|(?P<g>(?<![\w-])\d+(?:\s*[–-]\s*\d+)?\s?G\b)"
    r"|(?P<share>(?<![\w-])\d+ (?:av|of)(?: [\w']+)? \d+)"
    rf"|(?P<street>[A-ZÆØÅ][\wæøå]*(?:s (?:gate|vei|gata|plass)|{STREET})\s\d+|Postboks \d+"
    r"|leil(?:ighet|\.) \d+)"
    r"|(?P<postcode>(?<![\d,])0\d{3}(?!\d)|(?<!\d)\d{4}(?= Oslo))"
    r"|(?P<free>\b(?i:gratis|free)\b)"
    r"|(?P<number>(?<![\w/.,-])\d+(?:,\d+)?(?:\s*[–-]\s*\d+(?:,\d+)?)?(?:-(?=år)|\+"
    r"|\s+[\wæøåÆØÅ]+\.?)?)"
)


@dataclass(frozen=True)
class Claim:
    kind: str  # "kr", "tlf", "§", "år", "årstall", ...; "tall" when nothing says
    value: str


def _decimal(number: str) -> str:
    return format(Decimal(number.replace(" ", "").replace(",", ".")).normalize(), "f")


def _range(text: str) -> str:
    parts = [_decimal(part) for part in re.split(r"\s*[–-]\s*", text.strip())]
    return "–".join(parts)


def _law(text: str) -> str:
    text = re.sub(r"§§?\s*", "", text)
    text = re.sub(r"\s*(?:–|og)\s*(?=\d)", "–", text)
    text = re.sub(r"\s(?:første ledd\s)?nr\.\s*", " nr", text)
    return re.sub(r"\s(?:bokstav\s)?([a-e])$", r"\1", text).strip()


def _number(match: str) -> Claim:
    found = re.match(r"([\d,]+(?:\s*[–-]\s*[\d,]+)?)(.*)", match)
    assert found is not None
    value, rest = _range(found.group(1)), found.group(2).strip().rstrip(".").lower()
    if rest in ("-", "+"):
        return Claim("år", value)
    if rest in UNITS:
        return Claim(UNITS[rest], value)
    for word, unit in PLURAL_UNITS.items():
        if rest.endswith(word):
            return Claim(unit, value)
    if re.fullmatch(r"(19|20)\d\d(–(19|20)\d\d)?", value):
        return Claim("årstall", value)
    return Claim("tall", value)


def claims(text: str) -> list[Claim]:
    """Every number-bearing claim in `text`, as a kind and a value."""
    text = URL.sub(" ", text).replace("**", "").replace("\u00a0", " ")
    found: list[Claim] = []
    for match in CLAIM.finditer(text):
        kind, raw = next((k, v) for k, v in match.groupdict().items() if v)
        if kind == "law":
            found.append(Claim("§", _law(raw)))
        elif kind == "nr":
            found.append(Claim("nr", "".join(re.findall(r"\d+|[a-e]$", raw))))
        elif kind == "amount":
            found.append(Claim("kr", _decimal(raw)))
        elif kind == "phone":
            digits = re.sub(r"\D", "", raw)
            found.append(Claim("tlf", digits[2:] if "+47" in raw else digits))
        elif kind == "numdate":
            day, month, year = raw.split(".")
            found += [Claim("dato", f"{int(day)}.{int(month)}"), Claim("årstall", year)]
        elif kind == "date":
            day, month = re.split(r"\.\s*", raw)
            found.append(Claim("dato", f"{int(day)}.{MONTHS.index(month) + 1}"))
        elif kind == "clock":
            found.append(Claim("kl", re.sub(r"\s", "", raw).replace("-", "–")))
        elif kind == "g":
            found.append(Claim("G", _range(raw.rstrip("G"))))
        elif kind == "share":
            numbers = re.findall(r"\d+", raw)
            found.append(Claim("andel", f"{numbers[0]}/{numbers[1]}"))
        elif kind == "street":
            found.append(Claim("adresse", re.sub(r"^leil\.", "leilighet", raw.lower())))
        elif kind == "postcode":
            found.append(Claim("postnr", raw))
        elif kind == "free":
            found.append(Claim("pris", "gratis"))
        else:
            found.append(_number(raw))
    return found


def _with_parts(claim: Claim) -> set[Claim]:
    """A dossier claim also supports its ends ("2–3G" supports "2G") and its law paragraph."""
    parts = {claim}
    if "–" in claim.value and claim.kind != "kl":
        parts |= {Claim(claim.kind, end) for end in claim.value.split("–")}
    if claim.kind == "§" and " nr" in claim.value:
        paragraph, number = claim.value.split(" nr")
        parts |= {Claim("§", paragraph), Claim("nr", number), Claim("nr", number[:1])}
    return parts


# -- the dossier ------------------------------------------------------------------------


@cache
def sections() -> dict[str, str]:
    """The dossier's text by top-level section number ("0" to "27")."""
    parts = re.split(r"^## (\d+)\.", FACTS, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@cache
def declared_sections(file_name: str) -> tuple[str, ...]:
    """The sections a content file names in its header: "Facts: ... section 1 and 3"."""
    header = (CONTENT_DIR / file_name).read_text("utf-8").split("\n\n")[0]
    named = re.search(r"section (.+?)(?:\.|\[|$)", header, flags=re.MULTILINE | re.DOTALL)
    assert named, f"{file_name} does not say which sections of the facts it draws on"
    return tuple(sorted(set(re.findall(r"\b(\d+)[a-z]?\b", named.group(1)))))


def dossier_text(file_name: str) -> str:
    return "\n".join(sections()[number] for number in declared_sections(file_name))


@cache
def dossier_claims(file_name: str) -> frozenset[Claim]:
    return frozenset(part for c in claims(dossier_text(file_name)) for part in _with_parts(c))


def _urls(text: str) -> set[str]:
    return {url.rstrip(".,;").rstrip("/") for url in URL.findall(text)}


# -- the catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing a person can read, with where it is from and how sure it is."""

    where: str
    file_name: str
    text: str
    source: str | None = None
    certainty: Certainty | None = None
    is_cost: bool = False
    phone: str | None = None


def _contact_item(where: str, file_name: str, contact: Contact) -> Item:
    parts = [contact.label, contact.address or "", contact.opening_hours or ""]
    return Item(
        where,
        file_name,
        " ".join(parts),
        str(contact.source).rstrip("/") if contact.source else None,
        contact.certainty,
        phone=contact.phone,
    )


def _fact_item(where: str, file_name: str, fact: Fact) -> Item:
    source = str(fact.source).rstrip("/") if fact.source else None
    return Item(where, file_name, fact.text, source, fact.certainty, isinstance(fact, Cost))


def items(catalogue: Catalogue) -> Iterator[Item]:
    """Every text a person sees, each with the source and label it carries."""
    for index, contact in enumerate(catalogue.city_contacts):
        yield _contact_item(f"contacts[{index}]", "contacts.yml", contact)
    for service in catalogue.services:
        file_name = f"services/{service.slug}.yml"
        for language in ("nb", "nn", "en"):
            text = getattr(service.summary, language) or ""
            yield Item(f"{service.slug}.summary.{language}", file_name, text)
        for kind in FactKind:
            fact = service.fact(kind)
            if fact is not None:
                yield _fact_item(f"{service.slug}.{kind}", file_name, fact)
        for index, contact in enumerate(service.contacts):
            yield _contact_item(f"{service.slug}.contacts[{index}]", file_name, contact)
        for index, offer in enumerate(service.district_offers):
            where = f"{service.slug}.district_offers[{index}]"
            source = str(offer.source).rstrip("/") if offer.source else None
            text = f"{offer.name}. {offer.description}"
            yield Item(where, file_name, text, source, offer.certainty)
            if offer.contact:
                yield _contact_item(f"{where}.contact", file_name, offer.contact)
    for district in catalogue.districts:
        for index, contact in enumerate(district.contacts):
            yield _contact_item(f"{district.slug}.contacts[{index}]", "districts.yml", contact)
        for index, note in enumerate(district.notes):
            yield _fact_item(f"{district.slug}.notes[{index}]", "districts.yml", note)


def item_claims(item: Item) -> list[Claim]:
    found = claims(item.text)
    if item.phone:
        found += claims(item.phone)
    return found


def unsupported(item: Item) -> list[Claim]:
    """The item's claims that its dossier sections do not hold with the same kind and value."""
    known = dossier_claims(item.file_name)
    any_kind = {claim.value for claim in known}
    return [
        claim
        for claim in item_claims(item)
        if claim not in known and not (claim.kind == "tall" and claim.value in any_kind)
    ]


# -- attribution: which dossier lines carry a claim, and which sources they give ----------


def _blocks(file_name: str) -> list[list[str]]:
    """The declared sections' text as blocks (a section or a ### subsection) of lines."""
    return [
        block.splitlines()
        for number in declared_sections(file_name)
        for block in re.split(r"^### ", sections()[number], flags=re.MULTILINE)
    ]


def _carries(line: str, claim: Claim) -> bool:
    return any(claim in _with_parts(c) for c in claims(line))


def attributed_sources(file_name: str, claim: Claim) -> tuple[set[str], bool]:
    """The URLs the dossier gives for `claim`, and whether it marks it as own knowledge.

    A line that cites no URL itself takes those of its block's «Kilde(r)» line, or of the
    line above when it says «samme side».
    """
    urls: set[str] = set()
    own_knowledge = False
    for block in _blocks(file_name):
        source_lines = [line for line in block if re.match(r"\W*Kilder?\b", line)]
        for number, line in enumerate(block):
            if not _carries(line, claim):
                continue
            own_knowledge |= "LOV – egen kunnskap" in line
            urls |= _urls(line)
            if not _urls(line):
                urls |= {url for source in source_lines for url in _urls(source)}
                if "samme side" in line and number:
                    urls |= _urls(block[number - 1])
    return urls, own_knowledge


def unconfirmed_phone(file_name: str, digits: str) -> bool:
    """Whether the dossier gives this number only as a guess («trolig …, ikke bekreftet»)."""
    text = dossier_text(file_name).replace("**", "")
    spans = [
        m.span()
        for m in re.finditer(r"(?:\(?\+47\)?\s*)?\d[\d ]+\d", text)
        if re.sub(r"\D", "", m.group().replace("+47", "")) == digits
    ]
    guesses = [
        re.search(r"trolig\W{0,3}$", text[max(0, start - 12) : start])
        or re.match(r"\W{0,3}er trolig", text[end : end + 14])
        for start, end in spans
    ]
    return bool(spans) and all(guesses)


# -- the tests --------------------------------------------------------------------------


def test_the_oracle_reads_kinds_and_values() -> None:
    assert claims("Over 4G: 373 kr per time, høyst 37 300 kr per år.") == [
        Claim("G", "4"),
        Claim("kr", "373"),
        Claim("kr", "37300"),
    ]
    assert claims("Ring 116 117 eller +47 23 48 72 00.") == [
        Claim("tlf", "116117"),
        Claim("tlf", "23487200"),
    ]
    assert claims("§ 3-2 første ledd nr. 6 bokstav a og § 2-1 a, §§ 7–8, nr. 6 b") == [
        Claim("§", "3-2 nr6a"),
        Claim("§", "2-1a"),
        Claim("§", "7–8"),
        Claim("nr", "6b"),
    ]
    assert claims("Hareveien 10, 0693 Oslo. 12–13 plasser fra 1. mai 2023, kl. 09:00–14:30.") == [
        Claim("adresse", "hareveien 10"),
        Claim("postnr", "0693"),
        Claim("plass", "12–13"),
        Claim("dato", "1.5"),
        Claim("årstall", "2023"),
        Claim("kl", "09:00–14:30"),
    ]


def test_every_service_file_names_its_sections(catalogue: Catalogue) -> None:
    files = {"contacts.yml", "districts.yml"} | {
        f"services/{s.slug}.yml" for s in catalogue.services
    }
    for file_name in files:
        assert set(declared_sections(file_name)) <= set(sections()), file_name


def test_every_number_has_the_same_kind_and_value_in_the_facts(catalogue: Catalogue) -> None:
    """Prices, phone numbers, ages, quotas, years, law paragraphs: nothing made up."""
    checked = [item for item in items(catalogue) if item_claims(item)]
    assert sum(len(item_claims(item)) for item in checked) > 250
    invented = {item.where: unsupported(item) for item in checked if unsupported(item)}
    assert invented == {}


def test_every_source_is_a_url_the_facts_give_for_it(catalogue: Catalogue) -> None:
    foreign = {
        item.where: item.source
        for item in items(catalogue)
        if item.source and item.source not in _urls(dossier_text(item.file_name))
    }
    assert foreign == {}


def test_phone_numbers_and_law_paragraphs_cite_the_source_that_gives_them(
    catalogue: Catalogue,
) -> None:
    """A law paragraph the dossier knows without a source is cited without a URL."""
    wrong: dict[str, list[str]] = {}
    for item in items(catalogue):
        if item.certainty is None:
            continue  # a summary: its numbers are checked above, its sources are its facts'
        for claim in item_claims(item):
            if claim.kind not in ("tlf", "§"):
                continue
            urls, own_knowledge = attributed_sources(item.file_name, claim)
            if item.source in urls:
                continue
            if own_knowledge and (item.source is not None or item.certainty != "general"):
                wrong.setdefault(item.where, []).append(
                    f"{claim.value}: own knowledge, cite no URL, label general"
                )
            elif not own_knowledge and urls:
                wrong.setdefault(item.where, []).append(f"{claim.value}: given by {sorted(urls)}")
            elif not own_knowledge and item.source is not None:
                wrong.setdefault(item.where, []).append(
                    f"{claim.value}: the facts give it no source"
                )
    assert wrong == {}


def test_a_guessed_number_is_never_a_number_to_call(catalogue: Catalogue) -> None:
    guessed = {
        item.where: item.phone
        for item in items(catalogue)
        if item.phone and unconfirmed_phone(item.file_name, claims(item.phone)[0].value)
    }
    assert guessed == {}


def _marker_levels(line: str, is_cost: bool) -> set[str]:
    """The certainty a dossier line's [markers] allow; price caveats bind prices only."""
    levels: set[str] = set()
    for tag in re.findall(r"\[([^\]]+)\]", line):
        if re.search(r"pris|sats", tag, flags=re.IGNORECASE) and not is_cost:
            tag = re.sub(r"(USIKKER|UTDATERT|IKKE funnet).*", "", tag)
        if "GENERELL" in tag or "LOV" in tag:
            levels.add("general")
        elif re.search(r"USIKKER|UTDATERT|IKKE funnet|kan være endret", tag):
            levels.add("uncertain")
        elif "SIKKER" in tag:
            levels.add("confirmed")
    return levels


def test_every_certainty_label_agrees_with_the_facts_markers(catalogue: Catalogue) -> None:
    """[GENERELL] is general; [USIKKER], outdated or not-found-since is never confirmed."""
    wrong: dict[str, str] = {}
    for item in items(catalogue):
        if item.certainty is None:
            continue
        if item.source is None and item.certainty is Certainty.confirmed:
            wrong[item.where] = "confirmed without a source"
            continue
        lines = dossier_text(item.file_name).splitlines()
        levels: set[str] = set().union(
            *(_marker_levels(line, item.is_cost) for line in lines if item.source in _urls(line))
        )
        if "general" in levels and item.certainty is not Certainty.general:
            wrong[item.where] = f"{item.certainty}, the facts say [GENERELL]"
        elif "uncertain" in levels and item.certainty is Certainty.confirmed:
            wrong[item.where] = "confirmed, the facts say [USIKKER] or outdated"
    assert wrong == {}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_service_is_explained_in_short_sentences(catalogue: Catalogue, language: str) -> None:
    for service in catalogue.services:
        text = getattr(service.summary, language)
        assert text, f"{service.slug} has no {language} summary"
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
        assert 2 <= len(sentences) <= 5, (service.slug, language, len(sentences))
