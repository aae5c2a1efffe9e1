"""Emergency guard: a safety net after the intent classifier.

Placed after DIETClassifier and before FallbackClassifier. When the message
contains a clear life-threatening phrase (not breathing, chest pain, stroke
signs, unconscious, heavy bleeding, a fall with injury / cannot get up, fire,
choking, poisoning or overdose, suicidal thoughts or self-harm) in bokmål,
nynorsk/dialect or English, the intent is set to ``emergency`` with confidence
1.0, whatever the classifier said. It never removes an ``emergency`` that the
classifier predicted.

It does not fire on calm or hypothetical messages: "hva gjør vi hvis mor
faller", "mor er redd for å falle", "tegn på hjerneslag", "hvilket nummer har
legevakten", "trygghetsalarm", "brannalarmen piper", or events in the past
("fikk slag i fjor").

The guard adds ``emergency_guard`` to the parse output:
``{"fired": bool, "rule": str|None, "classifier_intent": {...}}`` so that the
effect can be measured (bench/nlu_eval.py) and logged.

Register in config.yml as ``bot.components.emergency_guard.EmergencyGuard``
(rasa must run with the repository root on PYTHONPATH).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

EMERGENCY_INTENT = "emergency"
INTENT_RANKING_KEY = "intent_ranking"
OUTPUT_KEY = "emergency_guard"

# Words used in the patterns below.
_NOT = r"(?:ikke|ikkje|ikk|ikkj|itj|ikke lenger|ikkje lenger|ik)"
_FALL = r"(?:falt|falle|fallet|datt|dotte|detta|ramlet|ramla|ramlat|snublet og falt|fell|fallen|has fallen|fall)"
_UP = (
    r"(?:komm?er (?:seg|meg|hun|han) "
    + _NOT
    + r" opp|kjem (?:seg|meg) "
    + _NOT
    + r" opp|kjæm (?:sæ|mæ|seg|meg) "
    + _NOT
    + r" opp"
    r"|får "
    + _NOT
    + r" (?:reist|reise) (?:seg|meg)|får (?:seg|meg) "
    + _NOT
    + r" opp|klarer "
    + _NOT
    + r" å reise (?:seg|meg)"
    r"|klarar " + _NOT + r" å reise (?:seg|meg)|greier " + _NOT + r" å reise (?:seg|meg)"
    r"|ligger (?:fortsatt|der|på gulvet|på golvet|helt stille|og blør)|ligg (?:på golvet|der|framleis)"
    r"|can'?t get up|cannot get up|unable to get up|isn'?t moving|not moving|is bleeding|hit (?:his|her|my) head"
    r"|blør|bløder|kan ikke bevege|kan ikkje bevege|klarer ikke å bevege|klarar ikkje å røre|(?:veldig|fryktelig|forferdelig|fælt|mye|sånn|så) vondt|slått hodet|slått hovudet|slo hodet|brukket|brekt|brakk|lårhals|hofta er|helt borte|er bevisstløs)"
)

# (rule name, regex). Applied to the normalised, lower-cased text.
EMERGENCY_PATTERNS: list[tuple[str, str]] = [
    # breathing
    (
        "breathing",
        r"\b(?:puster|pustar|pustr|pster|pusta|pustet|puste)\s+(?:nesten\s+|nærmast\s+|nesen\s+)?"
        + _NOT
        + r"\b",
    ),
    ("breathing", r"\b(?:sluttet|slutta|stoppet|stoppa|stansa|stanset)\s+(?:å|og|a)\s+pust"),
    ("breathing", r"\bpusten\s+(?:har\s+)?(?:stoppet|stoppa|stansa|stanset|forsvant)"),
    (
        "breathing",
        r"\b(?:får|faar|far|klarer|klarar|greier|kan)\s+" + _NOT + r"\s+(?:å\s+)?(?:puste|luft)\b",
    ),
    (
        "breathing",
        r"\b(?:gisper etter luft|blå i ansiktet|blå i andletet|leppene (?:hans|hennes )?er blå|blå lepper)",
    ),
    (
        "breathing",
        r"\b(?:not breathing|stopped breathing|isn'?t breathing|is not breathing|can'?t breathe|cannot breathe|can not breathe"
        r"|struggling to breathe|gasping for (?:air|breath)|unable to breathe|can'?t get (?:any )?air|turning blue)\b",
    ),
    # heart
    (
        "chest",
        r"\bbryst\s?sm(?:e|æ)rt|\bsm(?:e|æ)rt\w*\s+i\s+brystet|\b(?:vondt|vondt?|trykk|press|klem)\s+i\s+brystet",
    ),
    (
        "chest",
        r"\bhjerte\s?(?:infarkt|attakk|stans)|\bhjarte\s?(?:infarkt|stans)|\bhjertet\s+(?:\w+\s+){0,2}(?:stoppet|stoppa|stansa|stanset)",
    ),
    (
        "chest",
        r"\b(?:ingen|ikke|ikkje|not?)\s+(?:\w+\s+)?(?:puls|pulse)\b|\bpulsen\s+(?:er\s+)?borte",
    ),
    ("chest", r"\b(?:chest pains?|heart attack|cardiac arrest|no pulse|has no pulse)\b"),
    # stroke
    (
        "stroke",
        r"\b(?:fått|fatt|fåt|fikk|fekk|fått seg|har fått)\s+(?:et\s+|eit\s+|ett\s+|en\s+)?(?:hjerne|hjarne)?slag\b",
    ),
    ("stroke", r"\b(?:hjerneslag|hjerneblødning|drypp)\b"),
    (
        "stroke",
        r"\b(?:henger|heng|hengjer)\s+(?:i|på)\s+(?:den\s+)?(?:ene|eine|eine|en)\s+(?:munnviken|munnvika|sida|siden)",
    ),
    (
        "stroke",
        r"\b(?:ansiktet|andletet|munnen|munnviken|munnvika)\s+(?:\w+\s+){0,2}(?:henger|heng|hengjer|er skjevt|er skeivt)",
    ),
    (
        "stroke",
        r"\b(?:snøvler|snøvlar|snakker helt uforståelig|snakkar heilt rart|snakker rart og|lam i\b|armen er lam|mistet kraften|mista krafta)",
    ),
    (
        "stroke",
        r"\b(?:klarer|klarar|får|kan)\s+"
        + _NOT
        + r"\s+(?:å\s+)?(?:løfte|løfta|lyfte)\w*\s+(?:den\s+|høyre\s+|venstre\s+)?arm",
    ),
    (
        "stroke",
        r"\bplutselig\b.{0,40}\b(?:uforståelig|utydelig|snøvl\w*|lam|skjev|skeiv|henger|heng|slapp|rart)\b",
    ),
    (
        "stroke",
        r"\bslapp i (?:den ene\s+|eine\s+)?(?:armen|beinet|ansiktet|sida|siden|handa|hånden)\b|\bone side (?:of (?:his|her) (?:body|face) )?(?:is )?(?:weak|numb|paralysed|paralyzed|drooping)|\bsuddenly can'?t (?:talk|speak|move)",
    ),
    (
        "stroke",
        r"\b(?:stroke|face (?:is )?drooping|face droops|drooping face|slurred speech|speech is slurred|can'?t lift (?:his|her|my) arm)\b",
    ),
    # unconscious
    (
        "unconscious",
        r"\b(?:bevisstløs|bevistløs|bevisstlaus|bevisløs|medvitslaus|medvitslause|bevisstløse)\b",
    ),
    (
        "unconscious",
        r"\b(?:uten bevissthet|ikke ved bevissthet|ikkje ved bevissthet|ikkje ved medvit|mistet bevisstheten|mista bevisstheita|mista medvitet|miste bevisstheten)",
    ),
    (
        "unconscious",
        r"\b(?:våkner|vaknar|våkne|vakne)\s+"
        + _NOT
        + r"\b(?!\s+(?:om|på)\s+(?:natta|natten|morgenen))",
    ),
    (
        "unconscious",
        r"\b" + _NOT + r"\s+(?:våkner|vaknar)\b(?!\s+(?:om|på)\s+(?:natta|natten|morgenen))",
    ),
    ("unconscious", r"\b(?:får|klarer)\s+" + _NOT + r"\s+(?:å\s+)?(?:vekket|vekke|vekt|vekkja)\b"),
    (
        "unconscious",
        r"\b(?:reagerer|reagerar|responderer)\s+"
        + _NOT
        + r"\b|\bsvarer ikke og er\b|\bliv(?:løs|laus)\b|\bfår\s+(?:ikke|ikkje)\s+liv\s+i\b|\bfalt om\b|\bsegnet om\b|\bsegna om\b|\bkollapset\b|\bkollapsa\b",
    ),
    (
        "unconscious",
        r"\b(?:unconscious|unresponsive|not responding|isn'?t responding|won'?t wake up|will not wake up|can'?t wake (?:him|her)|collapsed|passed out and)\b",
    ),
    # bleeding
    (
        "bleeding",
        r"\bbl(?:ø|o)r\s+(?:\w+\s+){0,2}(?:kraftig|mye|mykje|masse|voldsomt|fælt|sterkt|veldig|fra hodet|frå hovudet|og bl(?:ø|o)r)",
    ),
    (
        "bleeding",
        r"\bbl(?:ø|o)r\b.{0,30}\b(?:stopper|stoppar|stansar|stoggar)\s+"
        + _NOT
        + r"\b|\b(?:kraftig|stor|voldsom)\s+blødning|\bspruter blod|\bkaster opp blod|\bkastar opp blod|\bblod overalt",
    ),
    (
        "bleeding",
        r"\bblødd\s+(?:\w+\s+)?(?:kraftig|mye|mykje|masse|voldsomt)|\b(?:bleeding (?:heavily|a lot|badly|profusely|from (?:his|her|the) head)|won'?t stop bleeding|vomiting blood|blood everywhere)\b",
    ),
    # falls with injury / cannot get up
    ("fall", r"\b" + _FALL + r"\b.{0,60}\b" + _UP),
    (
        "fall",
        r"\b(?:ligger|ligg)\s+(?:på\s+(?:gulvet|golvet|badegulvet)|i trappa)\b.{0,40}\b(?:"
        + _NOT
        + r"|blør|vondt)\b",
    ),
    # fire
    (
        "fire",
        r"\bdet\s+(?:brenner|brenn)\b(?!\s+i\s+(?:halsen|magen|øynene|huden|fingrene|brystet))|\bbrann\s*!|\bbrann\s+i\b|\bstår\s+i\s+(?:brann|flammer)|\bi brann\b",
    ),
    (
        "fire",
        r"\brøyk\s+(?:overalt|fra|frå|i\s+leiligheten|i\s+huset|kommer|siver)|\bkommer\s+(?:det\s+)?røyk|\bfull av røyk|\beld\s+(?:på|i)\b|\bbrannvesen",
    ),
    (
        "fire",
        r"\b(?:leilighet\w*|huset|hus|kjøkkenet|kjøkenet|rommet|stua|senga|sengen|gardinene|gardina|komfyren)\s+(?:\w+\s+)?(?:brenner|brenn|står i brann)\b",
    ),
    (
        "fire",
        r"\b(?:on fire|there'?s a fire|there is a fire|a fire in|smoke everywhere|full of smoke|house is burning|flat is burning)\b",
    ),
    # choking
    (
        "choking",
        r"\b(?:satt|sett|sette|fått|har)\s+(?:noe|noko|en\s+\w+|ein\s+\w+|mat|kjøtt|\w+bit)\s+(?:fast\s+)?i\s+halsen|\bfast\s+i\s+halsen|\bkveles\b|\bkvelst\b|\bkvalt\b|\bkvelt\b|\bkvelast\b",
    ),
    ("choking", r"\b(?:choking|choked on|is choking)\b"),
    ("choking", r"\b(?:satt|sett)\s+(?:\w+\s+){1,3}(?:fast\s+)?i\s+(?:halsen|vrangstrupen)"),
    # poisoning / overdose
    (
        "poison",
        r"\boverdose|\b(?:tatt|teke|tok|svelget|svelgd|svelgt)\s+(?:alt\s+|altfor\s+|all\s+)?(?:for\s+)?mange\s+(?:tabletter|tablettar|piller|pillar)",
    ),
    (
        "poison",
        r"\b(?:svelget|svelgd|svelgt|drukket|drukke|drakk)\s+(?:en\s+hel\s+|ein\s+heil\s+)?(?:\w+\s+)?(?:boks|glass|flaske|rensemiddel|klorin|lampeolje|gift|vaskemiddel|oppvaskmiddel|tabletter|sovetabletter)",
    ),
    (
        "poison",
        r"\b(?:hel|heil|hele|heile)\s+(?:eske|boks|glass|brett|pakke|pakning)\w*\s+(?:med\s+)?(?:piller|pillar|tabletter|tablettar|sovetabletter|sovepiller)",
    ),
    ("poison", r"\bforgift(?:et|a|ning)\b|\bfått i seg (?:gift|noe giftig)|\bspist noe giftig"),
    (
        "poison",
        r"\b(?:overdosed|too many pills|swallowed (?:all|a lot of|lots of) (?:his|her|my|the) (?:pills|tablets|medicine)|poisoned|drank bleach|swallowed (?:a|the) (?:whole )?(?:bottle|box)|whole bottle of (?:sleeping )?pills)\b",
    ),
    # suicide / self-harm
    (
        "suicide",
        r"\bta\s+(?:livet\s+(?:av\s+)?(?:mitt|meg|sitt|seg|sjølv)|mitt\s+eget\s+liv|mitt\s+eige\s+liv|sitt\s+eget\s+liv|sitt\s+eige\s+liv)",
    ),
    ("suicide", r"\btatt\s+livet\s+(?:sitt|av\s+seg)|\bselvmord|\bsjølvmord|\bsjølmord|\bsuicid"),
    (
        "suicide",
        r"\b(?:vil|ønsker å|orker|orkar)\s+"
        + _NOT
        + r"\s+(?:å\s+)?leve\b|\bvil\s+"
        + _NOT
        + r"\s+leve|\bingen\s+grunn\s+til\s+å\s+leve",
    ),
    (
        "suicide",
        r"\b(?:jeg|eg|je|e)\s+(?:vil|ønsker å|ønskjer å|har lyst til å|har lyst å|har lyst til|lyst til å)\s+(?:dø|døy)\b(?!\s+(?:hjemme|heime|i\s+fred))",
    ),
    (
        "suicide",
        r"\b(?:skade|skader|skadar|skada|kuttet|kutta|kutter|kuttar|skåret|skåre|skjære|skjer)\s+(?:meg|seg)\s*(?:selv|sjølv)?\b(?=.{0,20}(?:selv|sjølv|arm|håndledd|med vilje))|\bskader meg selv|\bskade meg selv|\bskåret meg\b|\bkuttet meg selv\b",
    ),
    (
        "suicide",
        r"\b(?:lyst (?:til )?å|vil|kommer til å|skal|tenker på å)\s+(?:skade|skada|kutte|kutta|skjære)\s+meg\b|\bsamla?e?t?\s+(?:på\s+)?(?:piller|tabletter|tablettar)|\bbedre uten meg\b|\bforsvinne for godt\b",
    ),
    (
        "suicide",
        r"\b(?:kill (?:myself|himself|herself)|end (?:my|her|his) (?:own )?life|take (?:my|her|his) (?:own )?life|don'?t want to live|want to die|self[- ]harm|hurt(?:ing)? myself|cutting myself)\b",
    ),
    # other acute
    (
        "other",
        r"\b(?:kramper|krampeanfall|anafylaks\w*|allergisk sjokk|holder på å dø|er i ferd med å dø|held på å døy|er død\b|seizure|is dying|druknet|drukna|drowning)",
    ),
    (
        "other",
        r"\b(?:ring|ringe|ringer|ringt)\s+(?:til\s+)?113\b|\b(?:send|trenger|treng|må ha|ring)\s+(?:en\s+|ein\s+)?ambulanse|\bambulansen?\s*!|\b(?:ringe?|ringer)\s+(?:etter\s+)?(?:en\s+)?ambulanse|\bnødsituasjon|\bcall (?:an )?ambulance|\bneed an ambulance",
    ),
]

# Hypothetical / preventive / informational framing, or events in the past:
# when one of these is present the guard stays silent and leaves the decision
# to the classifier.
CALM_PATTERNS: list[tuple[str, str]] = [
    (
        "hypothetical",
        r"\b(?:hvis|dersom|viss|om\s+(?:hun|han|ho|mor|far|noen|nokon|jeg|eg)\s+skulle|if|in case|what if)\b",
    ),
    (
        "worry",
        r"\bredd\s+for\s+(?:å|at)\b|\bfrykt\w*\s+for\b|\bengstelig\s+for\b|\bbekymr\w*\s+for\s+at\b.{0,40}\bskal\b|\bafraid of\b|\bworried (?:that|about)\b",
    ),
    (
        "info",
        r"\b(?:tegn på|teikn på|symptomer på|symptom på|signs? of|symptoms? of|forebygg\w*|prevent\w*|førstehjelp\w*|first aid|kurs\w*)\b",
    ),
    (
        "info",
        r"\b(?:hva gjør (?:man|en|jeg|vi) når|kva gjer (?:ein|eg|vi) når|what (?:do|should) (?:you|i|we) do when)\b",
    ),
    (
        "info",
        r"\b(?:telefonnummer\w*|nummeret|nummer|adressen|adresse|åpningstid\w*|opningstid\w*|number|address|opening hours)\b",
    ),
    (
        "info",
        r"\b(?:trygghetsalarm\w*|tryggleiksalarm\w*|fallalarm\w*|fallsensor\w*|safety alarm|personal alarm)\b",
    ),
    (
        "past",
        r"\b(?:i fjor|i fjord|i forfjor|for\s+\w+\s+(?:år|måneder|månader|uker|veker)\s+siden|i 19\d\d|i 20\d\d|tidligere|last (?:year|month|week)|years? ago|months? ago|weeks? ago)\b",
    ),
    (
        "past",
        r"\b(?:har hatt|hadde|etter)\s+(?:et\s+|eit\s+|ett\s+)?(?:hjerne)?(?:slag|infarkt|hjerteinfarkt|hjerneslag|hjertestans|drypp|overdose|selvmordsforsøk)\b",
    ),
    (
        "past",
        r"\b(?:slag|hjerneslag|infarkt|hjerteinfarkt|drypp)\s+(?:\w+\s+)?(?:før|tidlegare|en gang|ein gong)\b",
    ),
    ("past", r"\b(?:rehabilitering|opptrening|hverdagsrehabilitering|etter sykehus\w*)\b"),
]

_EMERGENCY_RE = [(name, re.compile(rx)) for name, rx in EMERGENCY_PATTERNS]
_CALM_RE = [(name, re.compile(rx)) for name, rx in CALM_PATTERNS]


def normalise(text: str) -> str:
    """Lower-case, unify apostrophes and whitespace, keep æøå."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = text.replace("’", "'").replace("`", "'")
    text = re.sub(r"[\"“”«»]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def match(text: str) -> tuple[str | None, str | None]:
    """Return (emergency rule, calm rule) that match ``text`` (None if none)."""
    norm = normalise(text)
    rule = next((name for name, rx in _EMERGENCY_RE if rx.search(norm)), None)
    if rule is None:
        return None, None
    calm = next((name for name, rx in _CALM_RE if rx.search(norm)), None)
    return rule, calm


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyGuard(GraphComponent):
    """Sets intent ``emergency`` when a clear life-threatening phrase is present."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"enabled": True, "intent": EMERGENCY_INTENT}

    def __init__(self, config: dict[str, Any]) -> None:
        self._enabled = bool(config.get("enabled", True))
        self._intent = config.get("intent", EMERGENCY_INTENT)

    @classmethod
    def create(  # the signature Rasa's graph calls; only `config` is needed here
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,  # noqa: ARG003
        resource: Resource,  # noqa: ARG003
        execution_context: ExecutionContext,  # noqa: ARG003
    ) -> EmergencyGuard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        original = message.get(INTENT) or {}
        rule, calm = match(text)
        fired = bool(self._enabled and rule is not None and calm is None)
        message.set(
            OUTPUT_KEY,
            {
                "fired": fired,
                "rule": rule,
                "calm": calm,
                "classifier_intent": {
                    INTENT_NAME_KEY: original.get(INTENT_NAME_KEY),
                    PREDICTED_CONFIDENCE_KEY: original.get(PREDICTED_CONFIDENCE_KEY),
                },
            },
            add_to_output=True,
        )
        if not fired or original.get(INTENT_NAME_KEY) == self._intent:
            return
        new_intent = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
        # The other intents stay in the ranking (order kept) with confidence 0:
        # FallbackClassifier's ambiguity check compares the top two confidences
        # and would otherwise replace the forced emergency with nlu_fallback.
        # The classifier's own top intent is kept in `emergency_guard`.
        ranking = [
            {**r, PREDICTED_CONFIDENCE_KEY: 0.0}
            for r in (message.get(INTENT_RANKING_KEY) or [])
            if r.get(INTENT_NAME_KEY) != self._intent
        ]
        message.set(INTENT, new_intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(new_intent), *ranking], add_to_output=True)
