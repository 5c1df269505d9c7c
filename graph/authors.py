"""One person, one name: every author in the fullest form the graph knows for them.

Sources print a person as "T. Chen", "Ricky TQ Chen" or "Ricky T. Q. Chen", "L. Ghaoui" or
"Laurent El Ghaoui". A short form is replaced by a fuller one when

- both have the same surname (particles kept: "El Ghaoui", "van der Pol"; "Le Cun" is "LeCun")
  and compatible given names (the short form's initials are a subsequence of the full form's,
  and the names spelled out agree: "T." fits "Ricky T. Q.", "Tianqi" does not fit "Ricky T.
  Q."; an initial never lands inside a hyphenated name: "K." is not "Fan-Keng"), and
- the full form is not another author of the same list ("J. Kim" beside "Jang Hwan Kim"), and
- there is evidence it is the same person:

  - strong: the full form appears on another record of the same work, or shares a coauthor
    with the short form's paper (a coauthor key such as "s kim" that several people of the
    graph share counts only with another one). Skipping a spelled first name ("T." for
    "Ricky T. Q.") takes two of these: one shared "A. Turing" does not make "A. Hodges" the
    "See A. Hodges" of a garbled record;
  - weak, only when the given names line up from the first one, spelled names equal or a
    nickname ("Chris" / "Christopher", not the pinyin "Bei" / "Beichen"), and the short form
    fits one person of the graph: it is the only person with that surname; or two or more
    initials agree ("C. M. Bishop", "Christopher M. Bishop"); or, for a surname at most three
    people carry, one reference list cites both. An initial before a one-syllable Chinese
    surname gets no weak evidence: "J. Nie" may be any of many people.

Among the forms of that person, the fullest wins (most given names spelled out, then most
given names, then the longest spelled names, then dotted initials). A lone initial gets its
dot ("J Zico" -> "J. Zico").

    >>> papers = [
    ...     ("a", ["T. Chen", "Yulia Rubanova", "D. Duvenaud"]),
    ...     ("b", ["Yulia Rubanova", "Ricky T. Q. Chen", "David Duvenaud"]),
    ...     ("c", ["Tianqi Chen", "Carlos Guestrin"]),
    ... ]
    >>> names = AuthorNames(papers)
    >>> names.best_list("a", ["T. Chen", "Yulia Rubanova", "D. Duvenaud"])
    ['Ricky T. Q. Chen', 'Yulia Rubanova', 'David Duvenaud']
    >>> names.best_list("c", ["Tianqi Chen", "Carlos Guestrin"])
    ['Tianqi Chen', 'Carlos Guestrin']
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .latex import PARTICLES, parse_name

_INITIALS = re.compile(r"^[A-Z]{1,3}$")  # "TQ" in "Ricky TQ Chen": two initials without dots

RULES = frozenset(
    {
        "hyphenated-names",
        "not-a-coauthor",
        "one-person-coauthors",
        "lined-up",
        "initials",
        "co-cited",
        "joined-particles",
        "spaced-initials",
        "pinyin-initials",
    }
)
"""The rules added after issue 9, each switchable (bench/bench_author_names.py measures them
against ``rules=frozenset()``, the issue-9 behaviour). Two more rules exist for the bench only,
being wrong too often on real records: "rare-surname" (a surname at most two people of the
graph carry is evidence enough) and "spelled-first-name" (a spelled first name that is not
pinyin, equal in both forms, is)."""

MAX_PEOPLE_FOR_CO_CITATION = 3


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@dataclass(frozen=True)
class NameForm:
    """One way a name is printed: its surname key and its given names as (initial, spelled)."""

    text: str
    surname: str  # folded "von last", e.g. "el ghaoui" -> compared on the last word only
    last: str  # folded last word of the surname: the key names are grouped by
    given: tuple[tuple[str, str], ...]  # ("r", "ricky"), ("t", ""), ("q", "")
    # names spelled out, given names, letters spelled, dotted initials, length
    fullness: tuple[int, int, int, int, int]
    # True for a given name continuing a hyphenated one: "Ping" in "Li-Ping", "C" in "J.-C."
    joined: tuple[bool, ...] = ()
    squashed: str = ""  # the surname without spaces or hyphens: "le cun" -> "lecun"

    @property
    def initials_only(self) -> bool:
        """Every given name is an initial ("R. T. Q. Chen"; not "Ricky T. Q. Chen")."""
        return bool(self.given) and not any(word for _, word in self.given)


@lru_cache(maxsize=1 << 16)
def name_form(name: str) -> NameForm | None:
    """The :class:`NameForm` of a printed name; None for organisations and unparsable text."""
    parts = parse_name(name)
    if parts is None or parts.corporate or not parts.last:
        return None
    given: list[tuple[str, str]] = []
    joined: list[bool] = []
    for token in re.split(r"[\s.]+(?!-)", parts.first):
        token = token.strip(",")
        for n, piece in enumerate(p for p in re.split(r"\.?-", token) if p.strip(".")):
            piece = piece.strip(".")
            if _INITIALS.match(piece):
                given.extend((_fold(c), "") for c in piece)
                joined.extend([n > 0] + [False] * (len(piece) - 1))
            else:
                folded = _fold(piece)
                if folded:
                    given.append((folded[0], folded))
                    joined.append(n > 0)
    surname = _fold(f"{parts.von} {parts.last}".strip())
    last = surname.split()[-1] if surname.split() else ""
    if not last:
        return None
    spelled = [word for _, word in given if word]
    fullness = (len(spelled), len(given), sum(map(len, spelled)), name.count("."), len(name))
    squashed = re.sub(r"[\s-]", "", surname)
    return NameForm(name, surname, last, tuple(given), fullness, tuple(joined), squashed)


def compatible(
    short: NameForm, full: NameForm, *, lined_up: bool = False, hyphens: bool = True
) -> bool:
    """Whether `full` may be the same person as `short`, written out further.

    Same last name; each given name of `short` matches, in order, a given name of `full`
    (same initial, and spelled-out names equal or one a prefix of the other). An initial may
    skip given names of `full` (S2 prints "Ricky T. Q. Chen" as "T. Chen") but not land inside
    a hyphenated one (`hyphens`); a spelled-out name may skip only initials ("Zico Kolter" is
    "J. Zico Kolter"). `lined_up`: no skip before the first given name and spelled names
    equal, for the weak evidence where a nickname-like prefix or a skipped first name would
    join two people ("Bei" / "Beichen", "A. Hodges" / "See A. Hodges").
    """
    if short.last != full.last and short.squashed != full.squashed:
        return False  # "Ghaoui" is "El Ghaoui", "Le Cun" is "LeCun"
    j = 0
    matched = -1
    for initial, word in short.given:
        while j < len(full.given):
            f_initial, f_word = full.given[j]
            j += 1
            inside = hyphens and full.joined and full.joined[j - 1] and matched != j - 2
            if f_initial == initial and not inside:
                if not word or not f_word:
                    matched = j - 1
                    break
                if word == f_word or (
                    (f_word.startswith(word) or word.startswith(f_word))
                    and not (lined_up and reads_as_pinyin(word) and reads_as_pinyin(f_word))
                ):
                    matched = j - 1
                    break
            if word and f_word:
                return False  # a spelled-out name skips no spelled-out name: Tianqi / Ricky T.
            if lined_up and matched < 0 and (f_word or not word):
                return False  # only a spelled name may skip a leading initial: "Zico" / "J. Zico"
        else:
            return False
    return True


@lru_cache(maxsize=1 << 16)
def with_dotted_initials(name: str) -> str:
    """A lone capital letter among the given names gets its dot: "J Zico Kolter".

    A particle is no initial: "Seán Ó hÉigeartaigh" keeps its "Ó".
    """
    words = name.split(" ")
    if len(words) < 2:
        return name
    head = [
        w + "." if len(w) == 1 and w.isupper() and w.lower() not in PARTICLES else w
        for w in words[:-1]
    ]
    return " ".join([*head, words[-1]])


_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    r"|ua|uo|ue|ui|a|o|e|i|u)"
    r"|a|o|e|ai|ei|ao|ou|an|en|ang|eng|er"  # no initial: only these, and only first
)


@lru_cache(maxsize=1 << 14)
def reads_as_pinyin(word: str, most: int = 3) -> bool:
    """Whether `word` reads as one to `most` pinyin syllables ("bei", "beichen", "yiran").

    Such a name is not a nickname of a longer one: "Bei" is not "Beichen", while "Chris" is
    "Christopher" (Chinese given names are whole syllables, Western nicknames are cut words).

    >>> [reads_as_pinyin(name) for name in ("beichen", "chris", "alexander", "kelvin")]
    [True, False, False, False]
    """
    ends = {0}
    for _ in range(most):
        ends |= {e + len(s) for e in ends for s in _syllables_at(word, e)}
    return bool(word) and len(word) in ends


def _syllables_at(word: str, start: int) -> list[str]:
    """Every pinyin syllable that `word` spells from `start` (a syllable may be a prefix of a
    longer one: "xi" / "xian"); one without an initial consonant only at the start."""
    return [
        word[start:end]
        for end in range(start + 1, min(len(word), start + 6) + 1)
        if _SYLLABLE.fullmatch(word, start, end) and (start == 0 or word[start] not in "aoe")
    ]


_GLUED_INITIALS = re.compile(r"^((?:[A-Z]\.)+)(?=[A-Z][a-z])")


@lru_cache(maxsize=1 << 16)  # every name of a record is spaced again for each co-author
def spaced_initials(name: str) -> str:
    """Initials glued to the surname get their space back: "T.Chuprina" -> "T. Chuprina".

    >>> spaced_initials("J.R.Smith"), spaced_initials("J.-C. Pesquet")
    ('J.R. Smith', 'J.-C. Pesquet')
    """
    return _GLUED_INITIALS.sub(r"\1 ", name)


def _coauthor_key(form: NameForm) -> str:
    return f"{form.given[0][0] if form.given else ''} {form.last}"


def _one_person(forms: Iterable[NameForm], *, lined_up: bool = False) -> bool:
    """Every form is compatible with the fullest one (both ways allowed)."""
    forms = list(forms)
    if not forms:
        return False
    fullest = max(forms, key=lambda f: f.fullness)
    return all(
        compatible(f, fullest, lined_up=lined_up) or compatible(fullest, f, lined_up=lined_up)
        for f in forms
    )


class AuthorNames:
    """The names printed on every record of a graph: ``(work, author list)`` pairs, a work
    appearing once per record it has (its versions). `citing` maps a work to the works whose
    reference lists cite it (co-citation evidence); `rules` switches the rules of
    :data:`RULES` (``frozenset()`` is the issue-9 behaviour, kept for the bench)."""

    def __init__(
        self,
        papers: Iterable[tuple[Hashable, Sequence[str]]],
        *,
        citing: Mapping[Any, Iterable[Hashable]] | None = None,
        rules: Iterable[str] = RULES,
    ) -> None:
        self._rules = frozenset(rules)
        self._hyphens = "hyphenated-names" in self._rules
        self._forms: dict[str, dict[str, NameForm]] = defaultdict(dict)  # last -> text -> form
        self._coauthors: dict[str, set[str]] = defaultdict(set)  # form text -> coauthor keys
        self._works: dict[str, set[Hashable]] = defaultdict(set)  # form text -> works
        self._keyed: dict[str, dict[str, NameForm]] = defaultdict(dict)  # key -> its forms
        for work, authors in papers:
            forms = [f for f in (name_form(self._spaced(a)) for a in authors) if f is not None]
            keys = [_coauthor_key(f) for f in forms]
            every_key = set(keys)
            for form, key in zip(forms, keys, strict=True):
                self._forms[form.last][form.text] = form
                self._coauthors[form.text].update(every_key - {key})
                self._works[form.text].add(work)
                self._keyed[key][form.text] = form
        if "joined-particles" in self._rules:  # "Y. Le Cun" and "Yann LeCun": one surname
            for last, group in list(self._forms.items()):
                for form in list(group.values()):
                    if form.squashed != last and form.squashed in self._forms:
                        self._forms[form.squashed].update(group)
                        group.update(self._forms[form.squashed])
        self._citing_lists = citing or {}
        self._citing: dict[Any, frozenset[Hashable]] = {}  # made when first asked for
        self._one_person: dict[str, bool] = {}
        self._people: dict[str, int] = {}
        self._fuller_forms: dict[NameForm, list[NameForm]] = {}
        self._specific: dict[str, bool] = {}

    def _citing_works(self, work: Hashable) -> frozenset[Hashable]:
        """The works citing `work` (as a set, made once: few works are ever asked about)."""
        found = self._citing.get(work)
        if found is None:
            found = self._citing[work] = frozenset(self._citing_lists.get(work, ()))
        return found

    def _spaced(self, name: str) -> str:
        return spaced_initials(name) if "spaced-initials" in self._rules else name

    def _compatible(self, short: NameForm, full: NameForm, *, lined_up: bool = False) -> bool:
        return compatible(short, full, lined_up=lined_up, hyphens=self._hyphens)

    def _fuller(self, form: NameForm) -> list[NameForm]:
        """The forms of the graph that may write `form` out further (computed once per form)."""
        if form not in self._fuller_forms:
            self._fuller_forms[form] = [
                other
                for other in self._forms[form.last].values()
                if other.fullness > form.fullness and self._compatible(form, other)
            ]
        return self._fuller_forms[form]

    def _single_person(self, last: str) -> bool:
        """Every form of this surname is compatible with the fullest one: one person."""
        if last not in self._one_person:
            self._one_person[last] = _one_person(self._forms[last].values())
        return self._one_person[last]

    def _people_named(self, last: str) -> int:
        """How many people carry this surname in the graph, counted by first initial."""
        if last not in self._people:
            forms = self._forms[last].values()
            self._people[last] = len({f.given[0][0] for f in forms if f.given})
        return self._people[last]

    def _specific_key(self, key: str) -> bool:
        """A coauthor key ("d duvenaud") whose forms are one person, unlike "s kim"."""
        if key not in self._specific:
            self._specific[key] = _one_person(self._keyed[key].values())
        return self._specific[key]

    def _weak_evidence(self, form: NameForm, work: Hashable, person: list[NameForm]) -> bool:
        """The weak rules of the module docstring, for `form` whose candidates are `person`."""
        lined = [o for o in person if self._compatible(form, o, lined_up=True)]
        if not lined or len(lined) < len(person) or not _one_person(person):
            return False
        if "initials" in self._rules and form.initials_only and len(form.given) >= 2:
            prefix = len(form.given)
            if all(o.given[:prefix] and _initials(o)[:prefix] == _initials(form) for o in lined):
                return True
        first_initial, first_name = form.given[0]
        # "Ian Goodfellow" / "Ian J. Goodfellow", not "Yang Shi" / "Yang X. Shi"
        if "spelled-first-name" in self._rules and first_name and not reads_as_pinyin(first_name):
            if all(o.given[0] == (first_initial, first_name) for o in lined):
                return True
        if "rare-surname" in self._rules and self._people_named(form.last) <= 2:
            return True  # off by default: on real S2 records it joins "V. Patil", "Vikram Patil"
        if (
            "co-cited" in self._rules
            and self._people_named(form.last) <= MAX_PEOPLE_FOR_CO_CITATION
            and not ("pinyin-initials" in self._rules and _pinyin_behind_initial(form, person))
        ):
            here = self._citing_works(work)
            there = {w for o in person for w in self._works[o.text]}
            if here and any(here & self._citing_works(w) for w in there - {work}):
                return True
        return False

    def best(self, name: str, work: Hashable, coauthors: Iterable[str] = ()) -> str:
        """The fullest form of the person printed as `name` on `work` (see module docstring)."""
        name = self._spaced(name)
        form = name_form(name)
        if form is None or not form.given:  # "Richard" alone could be anybody's name
            return name
        fuller = self._fuller(form)
        if not fuller:  # (most names: nobody writes them out further, whoever the coauthors)
            return with_dotted_initials(form.text)
        others = [f for f in (name_form(self._spaced(c)) for c in coauthors) if f is not None]
        if "not-a-coauthor" in self._rules:  # a name beside it on the list is someone else
            fuller = [
                o
                for o in fuller
                if not any(
                    c.last == o.last and (self._compatible(c, o) or self._compatible(o, c))
                    for c in others
                )
            ]
        if not fuller:
            return with_dotted_initials(form.text)
        keys = {_coauthor_key(f) for f in others}
        keys.discard(_coauthor_key(form))
        single = self._single_person(form.last)
        lined = "lined-up" in self._rules
        if single and lined:
            single = all(self._compatible(form, o, lined_up=True) for o in fuller)
        if single and "pinyin-initials" in self._rules:
            single = not _pinyin_behind_initial(form, fuller)
        evidence = {o: self._evidence(o, work, keys) for o in fuller}
        # skipping a spelled first name ("T." / "Ricky T. Q.") needs more than one shared
        # coauthor: "A." is not "See A." beside "A. Turing"
        if lined:
            for o, e in evidence.items():
                if e < 2 and not self._compatible(form, o, lined_up=True):
                    evidence[o] = 0
        found = [o for o, e in evidence.items() if e or single]
        if not found and self._weak_evidence(form, work, fuller):
            found = fuller
        if not found:
            return with_dotted_initials(form.text)
        # the best-attested person, then the fullest way that person is written
        person = max(found, key=lambda o: (evidence[o], o.fullness))
        same_person = [
            o
            for o in evidence
            if self._compatible(o, person, lined_up=lined)
            or self._compatible(person, o, lined_up=lined)
        ]
        return with_dotted_initials(max(same_person, key=lambda o: o.fullness).text)

    def _evidence(self, other: NameForm, work: Hashable, keys: set[str]) -> int:
        """3 for a record of the same work, plus one per shared coauthor. With
        "one-person-coauthors", a coauthor key several people share ("s kim") counts only
        when two or more are shared."""
        shared = keys & self._coauthors[other.text]
        if "one-person-coauthors" in self._rules:
            specific = {k for k in shared if self._specific_key(k)}
            shared = shared if len(shared - specific) >= 2 else specific
        return 3 * (work in self._works[other.text]) + len(shared)

    def best_list(self, work: Hashable, authors: Sequence[str]) -> list[str]:
        """:meth:`best` for every author of `work`'s list."""
        return [self.best(a, work, [c for c in authors if c != a]) for a in authors]


def _pinyin_behind_initial(form: NameForm, fuller: Iterable[NameForm]) -> bool:
    """`form` starts with an initial that a Chinese name spells out: "J. Nie" may be "Jinran
    Nie" or "Jian-Yun Nie", and the graph knowing one of them says little."""
    if not form.given or form.given[0][1] or not reads_as_pinyin(form.squashed, 1):
        return False
    return any(o.given and o.given[0][1] and reads_as_pinyin(o.given[0][1]) for o in fuller)


def _initials(form: NameForm) -> tuple[str, ...]:
    return tuple(initial for initial, _ in form.given)
