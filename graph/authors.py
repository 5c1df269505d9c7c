"""One person, one name: every author in the fullest form the graph knows for them.

Sources print a person as "T. Chen", "Ricky TQ Chen" or "Ricky T. Q. Chen", "L. Ghaoui" or
"Laurent El Ghaoui". A short form is replaced by a fuller one when

- both have the same surname (particles kept: "El Ghaoui", "van der Pol") and compatible given
  names (the short form's initials are a subsequence of the full form's, and the names spelled
  out agree: "T." fits "Ricky T. Q.", "Tianqi" does not fit "Ricky T. Q."), and
- there is evidence it is the same person: the full form appears on another record of the same
  work, or shares a coauthor with the short form's paper, or it is the only person of that
  surname in the graph (every form of the surname is compatible with every other).

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
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .latex import parse_name

_INITIALS = re.compile(r"^[A-Z]{1,3}$")  # "TQ" in "Ricky TQ Chen": two initials without dots


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


@lru_cache(maxsize=1 << 16)
def name_form(name: str) -> NameForm | None:
    """The :class:`NameForm` of a printed name; None for organisations and unparsable text."""
    parts = parse_name(name)
    if parts is None or parts.corporate or not parts.last:
        return None
    given: list[tuple[str, str]] = []
    for token in re.split(r"[\s.]+|(?<=[a-z])-(?=[A-Z])", parts.first):
        token = token.strip("-,")
        if not token:
            continue
        if _INITIALS.match(token):
            given.extend((_fold(c), "") for c in token)
        elif "-" in token and all(len(p) == 1 for p in token.split("-")):  # "J.-C." -> J, C
            given.extend((_fold(p), "") for p in token.split("-") if p)
        else:
            folded = _fold(token)
            if folded:
                given.append((folded[0], folded))
    surname = _fold(f"{parts.von} {parts.last}".strip())
    last = surname.split()[-1] if surname.split() else ""
    if not last:
        return None
    spelled = [word for _, word in given if word]
    fullness = (len(spelled), len(given), sum(map(len, spelled)), name.count("."), len(name))
    return NameForm(name, surname, last, tuple(given), fullness)


def compatible(short: NameForm, full: NameForm) -> bool:
    """Whether `full` may be the same person as `short`, written out further.

    Same last name; each given name of `short` matches, in order, a given name of `full`
    (same initial, and spelled-out names equal or one a prefix of the other). An initial may
    skip given names of `full` (S2 prints "Ricky T. Q. Chen" as "T. Chen"); a spelled-out name
    may skip only initials ("Zico Kolter" is "J. Zico Kolter").
    """
    if short.last != full.last:
        return False
    j = 0
    for initial, word in short.given:
        while j < len(full.given):
            f_initial, f_word = full.given[j]
            j += 1
            if f_initial == initial and (
                not word or not f_word or f_word.startswith(word) or word.startswith(f_word)
            ):
                break
            if word and f_word:
                return False  # a spelled-out name skips no spelled-out name: Tianqi / Ricky T.
        else:
            return False
    return True


@lru_cache(maxsize=1 << 16)
def with_dotted_initials(name: str) -> str:
    """A lone capital letter among the given names gets its dot: "J Zico Kolter"."""
    words = name.split(" ")
    if len(words) < 2:
        return name
    head = [w + "." if len(w) == 1 and w.isalpha() and w.isupper() else w for w in words[:-1]]
    return " ".join([*head, words[-1]])


def _coauthor_key(form: NameForm) -> str:
    return f"{form.given[0][0] if form.given else ''} {form.last}"


class AuthorNames:
    """The names printed on every record of a graph: ``(work, author list)`` pairs, a work
    appearing once per record it has (its versions)."""

    def __init__(self, papers: Iterable[tuple[Hashable, Sequence[str]]]) -> None:
        self._forms: dict[str, dict[str, NameForm]] = defaultdict(dict)  # last -> text -> form
        self._coauthors: dict[str, set[str]] = defaultdict(set)  # form text -> coauthor keys
        self._works: dict[str, set[Hashable]] = defaultdict(set)  # form text -> works
        for work, authors in papers:
            forms = [f for f in (name_form(a) for a in authors) if f is not None]
            keys = [_coauthor_key(f) for f in forms]
            for form, key in zip(forms, keys, strict=True):
                self._forms[form.last][form.text] = form
                self._coauthors[form.text].update(k for k in keys if k != key)
                self._works[form.text].add(work)
        self._one_person: dict[str, bool] = {}
        self._fuller_forms: dict[NameForm, list[NameForm]] = {}

    def _fuller(self, form: NameForm) -> list[NameForm]:
        """The forms of the graph that may write `form` out further (computed once per form)."""
        if form not in self._fuller_forms:
            self._fuller_forms[form] = [
                other
                for other in self._forms[form.last].values()
                if other.fullness > form.fullness and compatible(form, other)
            ]
        return self._fuller_forms[form]

    def _single_person(self, last: str) -> bool:
        """Every form of this surname is compatible with the fullest one: one person."""
        if last not in self._one_person:
            forms = list(self._forms[last].values())
            fullest = max(forms, key=lambda f: f.fullness)
            self._one_person[last] = all(
                compatible(f, fullest) or compatible(fullest, f) for f in forms
            )
        return self._one_person[last]

    def best(self, name: str, work: Hashable, coauthors: Iterable[str] = ()) -> str:
        """The fullest form of the person printed as `name` on `work` (see module docstring)."""
        form = name_form(name)
        if form is None or not form.given:  # "Richard" alone could be anybody's name
            return name
        fuller = self._fuller(form)
        if not fuller:
            return with_dotted_initials(form.text)
        keys = {_coauthor_key(f) for f in (name_form(c) for c in coauthors) if f is not None}
        keys.discard(_coauthor_key(form))
        single = self._single_person(form.last)
        evidence = {
            other: 3 * (work in self._works[other.text]) + len(keys & self._coauthors[other.text])
            for other in fuller
        }
        found = [o for o, e in evidence.items() if e or single]
        if not found:
            return with_dotted_initials(form.text)
        # the best-attested person, then the fullest way that person is written
        person = max(found, key=lambda o: (evidence[o], o.fullness))
        same_person = [o for o in evidence if compatible(o, person) or compatible(person, o)]
        return with_dotted_initials(max(same_person, key=lambda o: o.fullness).text)

    def best_list(self, work: Hashable, authors: Sequence[str]) -> list[str]:
        """:meth:`best` for every author of `work`'s list."""
        return [self.best(a, work, [c for c in authors if c != a]) for a in authors]
