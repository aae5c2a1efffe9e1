"""Emergency guard: detection by meaning, after the intent classifier.

Placed after DIETClassifier and before FallbackClassifier. It scores the message with the
emergency detector (`core/safety/detector.py`: a multilingual sentence embedding and a small
classifier trained on `core/safety/examples.yml`) and
- at level `emergency`, sets the intent to ``emergency`` with confidence 1.0, whatever the
  classifier said;
- when the classifier said ``emergency`` but the detector finds the message clearly calm
  (a question about signs, a past event), hands the turn to the classifier's next intent;
- always adds ``emergency_signal`` to the parse output: ``{"score", "level", "forced",
  "overruled", "classifier_intent"}``. The action server puts a 113 line first when the level is
  ``maybe`` (fail safe), and bench/nlu_eval.py measures the guard's effect from it.

Button payloads ("/intent{...}") are not scored. Register in config.yml as
``bot.components.emergency_guard.EmergencyGuard`` (Rasa runs with the repository root on
PYTHONPATH).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from core.assistant_texts import button_titles
from core.safety.detector import Assessment, EmergencyDetector, is_button_payload, load_detector
from core.text import fold

EMERGENCY_INTENT = "emergency"
INTENT_RANKING_KEY = "intent_ranking"
OUTPUT_KEY = "emergency_signal"
BUTTON_TITLES = button_titles()
CALM = Assessment(0.0, "calm")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyGuard(GraphComponent):
    """Sets intent ``emergency`` when the detector finds a life-threatening situation."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Below this score a classifier's `emergency` is overruled (a calm question about signs).
        return {"veto_below": 0.4}

    def __init__(self, config: dict[str, Any], detector: EmergencyDetector) -> None:
        self._veto_below = float(config["veto_below"])
        self._detector = detector

    @classmethod
    def create(  # the signature Rasa's graph calls; only `config` is needed here
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,  # noqa: ARG003
        resource: Resource,  # noqa: ARG003
        execution_context: ExecutionContext,  # noqa: ARG003
    ) -> EmergencyGuard:
        detector = load_detector()
        detector.assess("hei")  # load the embedding model now, not on a person's first message
        return cls(config, detector)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text or is_button_payload(text):
            return
        original = message.get(INTENT) or {}
        pressed = fold(text) in BUTTON_TITLES  # "Meg sjølv": one of our own buttons, pressed
        assessment = CALM if pressed else self._detector.assess(text)
        said_emergency = original.get(INTENT_NAME_KEY) == EMERGENCY_INTENT
        forced = assessment.level == "emergency" and not said_emergency
        overruled = said_emergency and assessment.score < self._veto_below
        message.set(
            OUTPUT_KEY,
            {
                **assessment.as_dict(),
                "forced": forced,
                "overruled": overruled,
                "classifier_intent": {
                    INTENT_NAME_KEY: original.get(INTENT_NAME_KEY),
                    PREDICTED_CONFIDENCE_KEY: original.get(PREDICTED_CONFIDENCE_KEY),
                },
            },
            add_to_output=True,
        )
        if forced:
            self._force_emergency(message)
        elif overruled:
            self._overrule_emergency(message)

    @staticmethod
    def _force_emergency(message: Message) -> None:
        new_intent = {INTENT_NAME_KEY: EMERGENCY_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        # The other intents stay in the ranking (order kept) with confidence 0:
        # FallbackClassifier's ambiguity check compares the top two confidences
        # and would otherwise replace the forced emergency with nlu_fallback.
        ranking = [
            {**r, PREDICTED_CONFIDENCE_KEY: 0.0}
            for r in (message.get(INTENT_RANKING_KEY) or [])
            if r.get(INTENT_NAME_KEY) != EMERGENCY_INTENT
        ]
        message.set(INTENT, new_intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(new_intent), *ranking], add_to_output=True)

    @staticmethod
    def _overrule_emergency(message: Message) -> None:
        """The classifier's next intent takes the turn; FallbackClassifier judges its confidence."""
        ranking = [
            dict(r)
            for r in (message.get(INTENT_RANKING_KEY) or [])
            if r.get(INTENT_NAME_KEY) != EMERGENCY_INTENT
        ]
        if not ranking:
            return
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
