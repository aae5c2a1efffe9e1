"""The pages' sentences live in their text modules (issue 18, "one home per concept").

Each page has one text module, `text.js` beside its scripts, and the staff pages share
`api/static/text.js` (served at /shared/). The other modules hold no sentence of their own:
they import what they say. Here, without a JavaScript engine, a small tokenizer reads the
string literals of every front-end script and checks that

- no other module holds a literal that looks like something a person reads (see
  `looks_user_facing` for how that is judged);
- every bokmål sentence in a text module is easy to read (LIX, as tests/test_readability.py);
- where a text module varies by language (an object with nb, nn and en tables, such as the
  web chat's FEEDBACK), every key exists in all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_readability import LIMIT, SENTENCE_WORDS, WORD, lix

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "api").glob("**/static/*.js"))
TEXT_MODULE = "text.js"
TEXT_MODULES = [script for script in SCRIPTS if script.name == TEXT_MODULE]
OTHER_MODULES = [script for script in SCRIPTS if script.name != TEXT_MODULE]
LANGUAGE_KEYS = ("nb", "nn", "en")
HOLE = "{x}"  # stands for a `${…}` in a template literal; lix() reads it as a word

# A literal in a module that is not a text module may look like a sentence and still be code.
# Each of these is said to a machine, never to a person.
NOT_FOR_PEOPLE = {
    "Content-Type",  # HTTP header names (api/static/http.js)
    "Retry-After",
    f"Bearer {HOLE}",  # the Authorization header's value
    "Enter",  # a key's name, as KeyboardEvent.key gives it (chat.js)
    "noopener noreferrer",  # a link's rel (webchat/render.js)
}


# ---------------------------------------------------------------- reading the scripts


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "number", "string" (also a template literal), "punct"
    text: str  # a string's value, with HOLE for each `${…}` of a template
    start: int
    end: int
    line: int


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_REGEX_AFTER = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void"}


class Tokenizer:
    """The tokens of an ES module: enough of JavaScript to find every string literal.

    Comments are skipped; a `/` starts a regular expression where a value is expected (at the
    start, after an operator or a keyword such as `return`), as a JavaScript parser decides.
    The expressions inside a template literal's `${…}` are read too: their tokens follow the
    template's own.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens: list[Token] = []

    def read(self) -> list[Token]:
        end = self._scan(0, closing=None)
        assert end == len(self.source)
        return self.tokens

    def _line(self, at: int) -> int:
        return self.source.count("\n", 0, at) + 1

    def _add(self, kind: str, text: str, start: int, end: int) -> None:
        self.tokens.append(Token(kind, text, start, end, self._line(start)))

    def _regex_allowed(self) -> bool:
        if not self.tokens:
            return True
        last = self.tokens[-1]
        if last.kind == "name":
            return last.text in _REGEX_AFTER
        if last.kind in ("number", "string"):
            return False
        return last.text not in (")", "]", "}")

    def _scan(self, at: int, closing: str | None) -> int:
        """Tokens from `at` to the end, or to the `}` that ends a template's `${`."""
        source = self.source
        depth = 0
        while at < len(source):
            char = source[at]
            if char.isspace():
                at += 1
            elif source.startswith("//", at):
                at = source.find("\n", at)
                at = len(source) if at == -1 else at
            elif source.startswith("/*", at):
                at = source.index("*/", at) + 2
            elif char in "\"'":
                at = self._string(at)
            elif char == "`":
                at = self._template(at)
            elif char == "/" and self._regex_allowed():
                at = self._regex(at)
            elif char.isalpha() or char in "_$":
                match = re.compile(r"[\w$]+").match(source, at)
                assert match is not None
                self._add("name", match.group(), at, match.end())
                at = match.end()
            elif char.isdigit():
                match = re.compile(r"[\w.]+").match(source, at)
                assert match is not None
                self._add("number", match.group(), at, match.end())
                at = match.end()
            else:
                if char == "{":
                    depth += 1
                elif char == "}":
                    if depth == 0 and closing == "}":
                        return at + 1
                    depth -= 1
                self._add("punct", char, at, at + 1)
                at += 1
        assert closing is None, "a template's ${ is not closed"
        return at

    def _escape(self, at: int) -> tuple[str, int]:
        """The character escaped at `at` (just after a backslash), and where the rest starts."""
        char = self.source[at]
        if char == "u":
            if self.source[at + 1] == "{":
                end = self.source.index("}", at)
                return chr(int(self.source[at + 2 : end], 16)), end + 1
            return chr(int(self.source[at + 1 : at + 5], 16)), at + 5
        if char == "x":
            return chr(int(self.source[at + 1 : at + 3], 16)), at + 3
        if char == "\n":
            return "", at + 1
        return _ESCAPES.get(char, char), at + 1

    def _string(self, start: int) -> int:
        quote, at, text = self.source[start], start + 1, []
        while self.source[at] != quote:
            if self.source[at] == "\\":
                char, at = self._escape(at + 1)
                text.append(char)
            else:
                text.append(self.source[at])
                at += 1
        self._add("string", "".join(text), start, at + 1)
        return at + 1

    def _template(self, start: int) -> int:
        at, text = start + 1, []
        inner = Tokenizer(self.source)
        while self.source[at] != "`":
            if self.source[at] == "\\":
                char, at = self._escape(at + 1)
                text.append(char)
            elif self.source.startswith("${", at):
                text.append(HOLE)
                at = inner._scan(at + 2, closing="}")
            else:
                text.append(self.source[at])
                at += 1
        self._add("string", "".join(text), start, at + 1)
        self.tokens.extend(inner.tokens)
        return at + 1

    def _regex(self, start: int) -> int:
        at, in_class = start + 1, False
        while in_class or self.source[at] != "/":
            if self.source[at] == "\\":
                at += 1
            elif self.source[at] == "[":
                in_class = True
            elif self.source[at] == "]":
                in_class = False
            assert self.source[at] != "\n", f"line {self._line(start)}: not a regular expression"
            at += 1
        match = re.compile(r"[a-z]*").match(self.source, at + 1)
        assert match is not None
        self._add("regex", self.source[start : match.end()], start, match.end())
        return match.end()


def tokens(script: Path) -> list[Token]:
    return Tokenizer(script.read_text("utf-8")).read()


def literals(found: list[Token]) -> list[Token]:
    """The string literals a script uses as values: `"a " + "b"` as one, import paths left out."""
    joined: list[Token] = []
    for index, token in enumerate(found):
        if token.kind != "string":
            continue
        before = found[index - 1] if index else None
        if before is not None and before.kind == "name" and before.text in ("from", "import"):
            continue
        after_plus = index >= 2 and before is not None and before.text == "+"
        if after_plus and joined and joined[-1].end == found[index - 2].end:
            last = joined.pop()
            token = Token("string", last.text + token.text, last.start, token.end, last.line)
        joined.append(token)
    return joined


# ---------------------------------------------------------------- what a person reads

LETTER = r"[^\W\d_]"
# Letters and marks only Norwegian text uses here: æ, ø, å, «quotes», dashes and ellipses.
NORWEGIAN = re.compile(r"[æøåÆØÅ«»–…]")
CAPITALISED = re.compile(r"^\s*[A-ZÆØÅ][a-zæøå]")
# Two words with a space between: "venter i", "Ring oss", "(bydelen) · levert".
WORDS = re.compile(LETTER + r"[,.:;!?)]?\s+[«(]?" + LETTER)
# "msg msg--staff", "pkt-btn pkt-btn--secondary": CSS classes (BEM), with a hole or not.
CLASS_LIST = re.compile(r"^[a-z0-9_{}-]+(?:\s+[a-z0-9_{}-]+)*$")
# Selectors ("#sak-1", ".site-header__logo", "[data-index=…]"), paths and addresses.
MACHINE_START = re.compile(r"^(?:[./#\[]|https?:|tel:)")


def looks_user_facing(text: str) -> bool:
    """True when `text` reads like a sentence or a label for a person, in Norwegian.

    The rule, in order:
    - not if it is in NOT_FOR_PEOPLE, has no letter at all (" · ", "–"), starts as a selector,
      a path or an address does, or is one word with a `/` in it (a MIME type, "Europe/Oslo");
    - yes if it has æ, ø, å, «», – or …: code here never does;
    - yes if it starts with a capital and a small letter ("Telefon", "Ring oss heller");
    - yes if it has two words with a space between, unless it is a list of CSS classes with
      at least one `-` or `_` in it ("badge badge--new").

    It cannot tell a lowercase Norwegian word without æ, ø or å ("forfalt") from an identifier,
    and a lowercase phrase of such words with a hyphen in one from a list of classes: those must
    be seen in review. Everything else a person reads is caught.
    """
    stripped = text.strip()
    if text in NOT_FOR_PEOPLE or not re.search(LETTER, text) or MACHINE_START.match(stripped):
        return False
    if "/" in stripped and not re.search(r"\s", stripped):
        return False
    if NORWEGIAN.search(text) or CAPITALISED.match(text):
        return True
    if WORDS.search(text):
        return not (CLASS_LIST.match(stripped) and re.search(r"[-_]", stripped))
    return False


def stray_texts(script: Path) -> list[str]:
    return [
        f"{script.relative_to(ROOT)}:{token.line}: {token.text!r}"
        for token in literals(tokens(script))
        if looks_user_facing(token.text)
    ]


def test_the_scripts_are_found() -> None:
    assert len(OTHER_MODULES) >= 15
    assert {script.parent.relative_to(ROOT).as_posix() for script in TEXT_MODULES} == {
        "api/static",
        "api/webchat/static",
        "api/inbox/static",
        "api/stats/static",
    }
    # Every folder of scripts has its text module.
    folders = {script.parent for script in OTHER_MODULES}
    assert folders <= {script.parent for script in TEXT_MODULES}


# What the rule says of texts seen in these scripts.
USER_FACING = ["Sender …", "Telefon", "venter i {x}", "{x} nye meldinger", "Fra {x}"]
NOT_USER_FACING = [
    "skjult",  # a lowercase word alone: the limit of the rule
    "pkt-btn pkt-btn--secondary choices__button",
    "msg msg--{x}",
    '[data-index="{x}"]',
    "#ticket-view .ticket",
    "/static/chat.js",
    "Europe/Oslo",
    "nb-NO",
    "2-digit",
    " · ",
    "{x}, application/problem+json",
    "HTTP {x}",
    "Enter",
]


def test_what_counts_as_user_facing() -> None:
    assert [text for text in USER_FACING if not looks_user_facing(text)] == []
    assert [text for text in NOT_USER_FACING if looks_user_facing(text)] == []


def test_the_tokenizer_finds_every_literal() -> None:
    source = (
        'import { a } from "./a.js";\n'
        'const pattern = /["\'`]+\\/x/g; // a "comment"\n'
        "const half = 4 / 2; /* 'another' */\n"
        'say(`Fra ${/^bydel\\b/i.test(name) ? name : `Bydel ${name}`}.`, "Ja" + "!", \'Nei\');\n'
    )
    found = literals(Tokenizer(source).read())
    assert [token.text for token in found] == ["Fra {x}.", "Bydel {x}", "Ja!", "Nei"]
    assert [token.line for token in found] == [4, 4, 4, 4]


@pytest.mark.parametrize("script", OTHER_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_only_text_modules_hold_sentences(script: Path) -> None:
    assert stray_texts(script) == [], "move these into the page's text.js"


# ---------------------------------------------------------------- the text modules


def language_tables(found: list[Token]) -> list[dict[str, tuple[set[str], int, int]]]:
    """Each object in a text module that has nb, nn and en tables (`{nb: {…}, nn: {…}, …}`):
    for each language, the table's keys and where it starts and ends in the source."""
    groups: dict[int, dict[str, tuple[set[str], int, int]]] = {}
    opened: list[int] = []  # where each brace still open starts
    for index, token in enumerate(found):
        if token.text == "{" and token.kind == "punct":
            opened.append(index)
        elif token.text == "}" and token.kind == "punct":
            opened.pop()
        if token.kind != "name" or token.text not in LANGUAGE_KEYS:
            continue
        rest = [t.text for t in found[index + 1 : index + 7]]
        if rest[:2] == [":", "{"]:
            table = index + 2
        elif rest[:6] == [":", "Object", ".", "freeze", "(", "{"]:
            table = index + 6
        else:
            continue
        keys: set[str] = set()
        depth = 0
        for position in range(table, len(found)):
            inner = found[position]
            if inner.kind == "punct" and inner.text in "{[(":
                depth += 1
            elif inner.kind == "punct" and inner.text in "}])":
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1 and found[position + 1].text == ":" and inner.kind != "punct":
                keys.add(inner.text)
        groups.setdefault(opened[-1], {})[token.text] = (keys, found[table].start, inner.end)
    return list(groups.values())


def bokmal_sentences(script: Path) -> dict[str, str]:
    """The text module's literals of SENTENCE_WORDS words or more, but for nn and en tables."""
    found = tokens(script)
    elsewhere = [
        (start, end)
        for group in language_tables(found)
        for language, (_, start, end) in group.items()
        if language != "nb"
    ]
    return {
        f"{script.relative_to(ROOT)}:{token.line}": token.text
        for token in literals(found)
        if not any(start <= token.start < end for start, end in elsewhere)
        and len(WORD.findall(token.text)) >= SENTENCE_WORDS
    }


SENTENCES = {key: text for script in TEXT_MODULES for key, text in bokmal_sentences(script).items()}


def test_the_text_modules_hold_the_sentences() -> None:
    assert len(SENTENCES) >= 40
    said = set(SENTENCES.values())
    assert "Samtalen er slettet. Nå kan du skrive på nytt." in said
    # Joined across "+" and with a hole for each ${…}:
    assert any(text.startswith("Meldingen din er sendt til en ansatt") for text in said)
    assert f"Det går ikke å {HOLE} nå: saken er endret. Se saken slik den er nå." in said
    assert not any("helpful" in text for text in said), "the English table is not bokmål"


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_every_front_end_sentence_is_easy_to_read(key: str) -> None:
    text = SENTENCES[key]
    assert lix(text) <= LIMIT, (text, round(lix(text), 1))


@pytest.mark.parametrize("script", TEXT_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_key_exists_in_every_language(script: Path) -> None:
    for group in language_tables(tokens(script)):
        assert set(group) == set(LANGUAGE_KEYS), script
        keys = {language: found for language, (found, _, _) in group.items()}
        assert keys["nn"] == keys["nb"], keys
        assert keys["en"] == keys["nb"], keys


def test_the_web_chat_varies_by_language() -> None:
    tables = language_tables(tokens(ROOT / "api" / "webchat" / "static" / TEXT_MODULE))
    assert len(tables) == 1
    assert tables[0]["en"][0] == {"question", "yes", "no", "thanks"}
