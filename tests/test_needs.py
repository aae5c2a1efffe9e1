"""Need vocabularies: a situation told in a person's own words finds its need and services.

The messages here are written for these tests (bokmål, nynorsk, English), not taken from
shared/eval: they check that the vocabularies in content/needs.yml generalise, and that
everyday messages that describe no need find none.
"""

from __future__ import annotations

import pytest

from core.text import fold
from services_catalog.snapshot import CatalogueSnapshot

# (message, need that must be found, service that must be offered or None)
DESCRIBED: list[tuple[str, str, str | None]] = [
    # hukommelse
    ("Mamma glemmer hvilken dag det er", "hukommelse", "hukommelsesteam"),
    ("Pappa har begynt å bli veldig forvirret om kvelden", "hukommelse", None),
    ("Far min har fått diagnosen Alzheimer", "hukommelse", "hukommelsesteam"),
    ("Bestemor husker ikke navnet på barnebarna", "hukommelse", None),
    ("Eg trur mor mi har demens", "hukommelse", "hukommelsesteam"),
    ("Ho hugsar ikkje kva ho har gjort i dag", "hukommelse", None),
    ("My aunt is getting confused and forgets appointments", "hukommelse", "hukommelsesteam"),
    ("Min mann har blitt dement", "hukommelse", "parorendestotte"),
    # medisiner
    ("Mamma har glemt medisinene sine flere ganger", "medisiner", "medisindispenser"),
    ("Far tar feil tabletter", "medisiner", "hjemmesykepleie"),
    ("Mor trenger hjelp med øyedråpene", "medisiner", None),
    ("My mother keeps forgetting to take her pills", "medisiner", "medisindispenser"),
    ("He needs insulin injections every day", "medisiner", "hjemmesykepleie"),
    # personlig-stell
    ("Mor trenger hjelp til å dusje", "personlig-stell", "hjemmesykepleie"),
    ("Far klarer ikke å kle på seg selv om morgenen", "personlig-stell", None),
    ("Hun trenger hjelp med å klippe tåneglene", "personlig-stell", "fotpleie"),
    ("My mum can't wash herself any more", "personlig-stell", "hjemmesykepleie"),
    ("Far min klarar ikkje å dusje sjølv", "personlig-stell", None),
    # sar-og-behandling
    ("Han har et sår på leggen som ikke vil gro", "sar-og-behandling", "hjemmesykepleie"),
    ("Mor trenger noen som skifter bandasjen", "sar-og-behandling", None),
    ("Han har eit sår på foten som ikkje grur", "sar-og-behandling", None),
    # etter-sykehus
    ("Far kommer hjem fra sykehuset på fredag", "etter-sykehus", "hjemmesykepleie"),
    ("Mor ble utskrevet etter hofteoperasjon", "etter-sykehus", "korttidsopphold"),
    ("Ho vart skriven ut frå sjukehuset i går", "etter-sykehus", None),
    ("My father was discharged from hospital yesterday", "etter-sykehus", None),
    # husarbeid
    ("Mor klarer ikke å vaske huset lenger", "husarbeid", "praktisk-bistand"),
    ("Leiligheten til far er skitten og rotete", "husarbeid", None),
    ("Far trenger hjelp til rengjøring og støvsuging", "husarbeid", "praktisk-bistand"),
    ("Who can help my mother with cleaning and laundry?", "husarbeid", "praktisk-bistand"),
    # handling
    ("Bestemor klarer ikke å bære tunge poser fra butikken", "handling", "praktisk-bistand"),
    ("Han trenger hjelp til å handle mat", "handling", None),
    ("Kan mor få noen til å handle for seg?", "handling", "praktisk-bistand"),
    ("Mor mi treng hjelp til å handle inn", "handling", None),
    ("Can someone do the grocery shopping for my dad?", "handling", None),
    # fall
    ("Bestefar har falt to ganger denne måneden", "fall", "trygghetsalarm"),
    ("Mor er så ustø når hun går", "fall", None),
    ("Han snublet i teppet og slo seg", "fall", None),
    ("Ho fall på badet i førre veke", "fall", "trygghetsalarm"),
    ("My dad had a fall last week", "fall", "hverdagsrehabilitering"),
    ("She keeps losing her balance", "fall", None),
    ("Tenk om far faller når ingen er hjemme", "fall", None),
    ("Far har dårleg balanse og er redd for å dette", "fall", None),
    # trygghet
    ("Mor er utrygg om natta", "trygghet", "trygghetsalarm"),
    ("Hva hvis det skjer noe med far om natten", "trygghet", None),
    ("She doesn't feel safe at home anymore", "trygghet", "trygghetsalarm"),
    ("Han gløymer å slå av komfyren", "trygghet", None),
    # bor-alene
    ("Far bor alene og vi bor langt unna", "bor-alene", "trygghetsalarm"),
    ("Mor mi bur aleine på Nordstrand", "bor-alene", None),
    ("My mother lives alone since dad passed away", "bor-alene", "omsorg-pluss"),
    # mat-og-ernaering
    ("Mor spiser nesten ingenting lenger", "mat-og-ernaering", "matombringing"),
    ("Far har gått mye ned i vekt i høst", "mat-og-ernaering", None),
    ("Mannen min klarer ikke å lage middag selv", "mat-og-ernaering", "matombringing"),
    ("Ho et nesten ingenting og har mista matlysta", "mat-og-ernaering", None),
    ("Dad isn't eating properly since mum died", "mat-og-ernaering", "matombringing"),
    ("Mor har blitt så tynn", "mat-og-ernaering", None),
    # ensomhet
    ("Mor er så ensom etter at hun ble enke", "ensomhet", "seniorsenter"),
    ("Far har ingen å snakke med", "ensomhet", None),
    ("Bestemor er så einsam etter at bestefar døydde", "ensomhet", None),
    ("My grandmother feels lonely and isolated", "ensomhet", "seniorsenter"),
    ("Mannen min har isolert seg etter at han ble pensjonist", "ensomhet", None),
    ("Mamma får aldri besøk", "ensomhet", "seniorveileder"),
    ("Bestemor har ingen venner igjen", "ensomhet", None),
    # aktivitet
    ("Mor vil gjerne trene sammen med andre", "aktivitet", "seniorsenter"),
    ("Far trenger noe å fylle dagene med", "aktivitet", None),
    ("Mor vil treffe andre på sin alder", "aktivitet", "seniorsenter"),
    ("Are there any activities for pensioners nearby?", "aktivitet", "seniorsenter"),
    # avlastning-parorende
    ("Jeg er helt utslitt etter å ha pleiet mor i flere år", "avlastning-parorende", "avlastning"),
    ("Som pårørende trenger jeg en pause", "avlastning-parorende", "parorendestotte"),
    ("I'm burnt out from looking after my husband", "avlastning-parorende", "avlastning"),
    ("Kan jeg få betalt for å pleie min mor?", "avlastning-parorende", "omsorgsstonad"),
    ("Eg er utsliten av å passe på far", "avlastning-parorende", None),
    ("We need a break from caring for my father-in-law", "avlastning-parorende", "avlastning"),
    # oversikt
    ("Hvilke tilbud finnes for eldre i bydelen?", "oversikt", "seniorveileder"),
    ("Kva hjelp kan mor få frå kommunen?", "oversikt", None),
    ("Kva tilbod finst for eldre i bydelen?", "oversikt", "helseveiviser"),
    ("What help is available for older people in Oslo?", "oversikt", "seniorveileder"),
    ("Hvor begynner jeg når mor trenger hjelp?", "oversikt", None),
    # mobilitet
    ("Mor klarer ikke trappene opp til leiligheten", "mobilitet", "hjelpemidler"),
    ("Han har vanskelig for å gå", "mobilitet", "fysioterapi"),
    ("Far har vanskeleg for å gå i trappene", "mobilitet", None),
    ("My mum uses a wheelchair and can't manage the stairs", "mobilitet", "hjelpemidler"),
    # heldognsomsorg
    ("Mor trenger hjelp hele døgnet nå", "heldognsomsorg", "sykehjem"),
    ("Far kan ikke bo hjemme lenger", "heldognsomsorg", "sykehjem"),
    ("Far treng hjelp heile døgnet", "heldognsomsorg", None),
    ("She needs care around the clock", "heldognsomsorg", "sykehjem"),
    ("My dad can no longer live at home", "heldognsomsorg", None),
    # bolig
    ("Mor bor i fjerde etasje uten heis", "bolig", "omsorg-pluss"),
    ("Vi vurderer å flytte far til en mindre leilighet", "bolig", None),
    ("Vi må finne ein mindre bustad til mor", "bolig", None),
    ("Is there senior housing with staff in Oslo?", "bolig", "omsorg-pluss"),
    # transport
    ("Far kommer seg ikke på bussen lenger", "transport", "tt-kort"),
    ("Mor har sluttet å kjøre bil", "transport", None),
    ("How can my dad get around when he can't take the bus?", "transport", "tt-kort"),
    ("Hvordan kommer mor seg til legen når hun ikke kan gå langt", "transport", None),
    ("Mor kjem seg ikkje ut av huset", "transport", "aldersvennlig-transport"),
    ("Pappa trenger skyss til dagsenteret", "transport", None),
    # akutt-men-ikke-livstruende
    ("Mor har fått feber og fastlegen er stengt", "akutt-men-ikke-livstruende", "legevakt"),
    ("Far har vondt i magen og trenger lege i kveld", "akutt-men-ikke-livstruende", "legevakt"),
    (
        "I think my mum has a urinary infection and the GP is closed",
        "akutt-men-ikke-livstruende",
        "legevakt",
    ),
    ("Han har kastet opp hele natta", "akutt-men-ikke-livstruende", None),
    ("Mor har feber og legekontoret er stengt", "akutt-men-ikke-livstruende", None),
]

# Everyday messages that describe no need: small talk, other services, a phone's alarm,
# and words that start like a need's stems ("i alle fall", "datteren", "Stovner").
NOTHING: list[str] = [
    "Hva blir været i morgen?",
    "Blir det regn i helga?",
    "Korleis blir vêret i morgon?",
    "What's the weather like in Oslo today?",
    "Spill litt jazz for meg",
    "Play some music please",
    "Alarmen min ringer ikke om morgenen",
    "Hvordan stiller jeg alarmen på mobilen?",
    "Set an alarm for seven o'clock",
    "Kan du si meg hva klokka er?",
    "Kva er klokka no?",
    "Hvor søker man om plass i barnehage?",
    "Jeg vil snakke med en person",
    "I want to talk to a real person",
    "Can I speak to someone?",
    "Hei!",
    "God morgen",
    "Hello, how are you?",
    "Takk for hjelpen",
    "Tusen takk, det var alt",
    "Thank you so much",
    "Ha det bra",
    "Kan du anbefale en god bok?",
    "Hvem er statsminister i Norge?",
    "Når åpner biblioteket?",
    "Kan jeg betale med Vipps?",
    "Det handler om noe helt annet",
    "I alle fall takk for svaret",
    "Datteren min heter Sara",
    "Jeg bor på Stovner",
    "Vi bor på Grorud",
    "Hva tenker du om det?",
    "Er det trygt å betale på nett?",
    "Jeg er ikke sikker",
    "Når går neste buss til Bygdøy?",
    "Når går trikken fra Jernbanetorget?",
    "Jeg fikk en melding på mobilen",
    "Hvordan skriver jeg ut et skjema?",
    "Hvor lang er behandlingstiden for søknaden?",
    "Hvordan aktiverer jeg BankID?",
    "Takk for et godt tilbud",
    "Spørsmålet handler ikke om det",
]

# Emergencies are handled before needs: their symptoms are no need's words.
EMERGENCIES: list[str] = [
    "Mor puster ikke",
    "Han blør kraftig fra hodet",
    "Far har sterke smerter i brystet",
    "She is unconscious",
    "He can't breathe",
]

# Stems that were considered and rejected: each starts common unrelated words.
REJECTED_STEMS = ["fall", "datt", "dett", "mat", "bil", "bus", "stov", "gror", "mobil", "tren"]
REJECTED_STEMS += ["thin", "sar", "handle", "alle", "sikker", "hus", "host", "pain", "hurt"]


def _found(snapshot: CatalogueSnapshot, text: str) -> list[str]:
    return [hit.need.slug for hit in snapshot.need_matcher.find(text)]


@pytest.mark.parametrize(("text", "need", "service"), DESCRIBED)
def test_a_described_situation_finds_its_need(
    snapshot: CatalogueSnapshot, text: str, need: str, service: str | None
) -> None:
    hits = snapshot.need_matcher.find(text)
    assert need in [hit.need.slug for hit in hits]
    if service is not None:
        offered = [s.slug for s in snapshot.need_matcher.services_for(hits)]
        assert service in offered


@pytest.mark.parametrize("text", NOTHING)
def test_an_everyday_message_finds_no_need(snapshot: CatalogueSnapshot, text: str) -> None:
    assert _found(snapshot, text) == []


@pytest.mark.parametrize("text", EMERGENCIES)
def test_an_emergency_is_not_described_as_a_need(snapshot: CatalogueSnapshot, text: str) -> None:
    assert _found(snapshot, text) == []


def test_the_table_covers_every_need(snapshot: CatalogueSnapshot) -> None:
    assert {need for _, need, _ in DESCRIBED} == set(snapshot.needs)


def test_every_need_has_a_vocabulary_and_an_english_name(snapshot: CatalogueSnapshot) -> None:
    for need in snapshot.needs.values():
        folded = [fold(word) for word in need.words]
        assert need.name_en, need.slug
        assert 15 <= len(need.words) <= 40, need.slug
        assert len(set(folded)) == len(folded), f"{need.slug} repeats a word"
        assert all(folded), f"{need.slug} has a word that folds to nothing"


def test_suggest_orders_services_of_the_need(snapshot: CatalogueSnapshot) -> None:
    for need in snapshot.needs.values():
        answering = {s.slug for s in snapshot.services.values() if need.slug in s.needs}
        assert need.suggest, need.slug
        assert len(need.suggest) == len(set(need.suggest)), need.slug
        assert set(need.suggest) <= answering, need.slug


def test_no_need_uses_a_rejected_stem_alone(snapshot: CatalogueSnapshot) -> None:
    for need in snapshot.needs.values():
        single = {fold(word) for word in need.words if len(fold(word).split()) == 1}
        assert not single & set(REJECTED_STEMS), need.slug


def test_a_need_suggested_first_is_offered_first(snapshot: CatalogueSnapshot) -> None:
    matcher = snapshot.need_matcher
    hits = matcher.find("Far har falt i trappa")
    offered = matcher.services_for(hits)
    assert offered[0].slug == "trygghetsalarm"
    assert len(offered) == 4
    found = {hit.need.slug for hit in hits}
    assert all(found & set(service.needs) for service in offered)


def test_several_needs_take_turns(snapshot: CatalogueSnapshot) -> None:
    matcher = snapshot.need_matcher
    hits = matcher.find("mor er ensom og glemmer å spise")
    offered = {service.slug for service in matcher.services_for(hits)}
    assert {"hukommelsesteam", "seniorsenter", "matombringing"} <= offered
