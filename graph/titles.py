"""Title casing: a work's title as its best-cased record writes it, acronyms in capitals.

Reference lists transcribe titles in lower case ("Augmented neural odes", "Stiffness of odes");
a BibTeX style then prints "odes", and no brace can protect capitals that are not there. The
registry gives each work the best-cased of its records' titles (same words, most capitals),
then restores the acronyms the graph writes in capitals elsewhere ("ODE" in 21 titles of the
bundled data) and those of :data:`ACRONYMS`, a maintained list, and capitalises the names of
latex.PROPER_NOUNS ("jacobian"). Software keeps its repository's name as it is ("deq-jax").

    >>> casing = TitleCasing(["Neural ODEs", "Fast PINN training", "PINNs for control"])
    >>> casing.restore("Augmented neural odes and pinns with jacobian")
    'Augmented neural ODEs and PINNs with Jacobian'
    >>> best_cased(["Latent odes for time series", "Latent ODEs for Time Series"])
    'Latent ODEs for Time Series'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .identity import normalize_title
from .latex import PROPER_NOUNS

# Acronyms of the field that titles must print in capitals, however a source wrote them.
ACRONYMS = frozenset(
    """ODE SDE CDE PDE RDE DAE GAN VAE DEQ MPC QP LP SDP SOCP LSTM GRU RNN CNN GNN MLP PINN
    ADMM SQP LQR KKT MCMC SVM PCA KL GP GPU JAX CVXPY OSQP MNIST CIFAR BFGS NFE""".split()
)
# capital words of titles that are English words, not acronyms, when written in lower case
_ENGLISH = frozenset(
    """a i am an as at be by do go he if in is it me my no of on or so to up us we all and are
    but can for get has her him his its new not now one our out sat see she the two was who
    nice steer""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_ACRONYM = re.compile(r"([A-Z][A-Z0-9]{1,5})s?")
_RUN = re.compile(r"\w+")  # what the regex's \b...\b delimits
# how many titles must write a word in capitals before the graph's casing is trusted
LEARN_MIN_TITLES = 2


def _mostly_upper(title: str) -> bool:
    words = _WORD.findall(title)
    return bool(words) and sum(w.isupper() for w in words) > len(words) / 2


def casing_score(title: str) -> int:
    """How much case information a title carries: capitals after its first letter (a title
    in capitals throughout carries none)."""
    if _mostly_upper(title):
        return -1
    return sum(1 for c in title[1:] if c.isupper())


def best_cased(titles: Iterable[str]) -> str:
    """The best-cased of several spellings of one title (the first on a tie)."""
    found = list(titles)
    return max(found, key=casing_score)


def _any_of(words: list[str]) -> re.Pattern[str]:
    """A regex finding any of `words` as a whole word, in any case (none: never matches)."""
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"(?i)\b(?:" + "|".join(map(re.escape, words)) + r")\b")


class TitleCasing:
    """The acronyms a graph's titles write in capitals, and :meth:`restore` for the others."""

    def __init__(self, titles: Iterable[str | None] = ()) -> None:
        seen: Counter[str] = Counter()
        for title in titles:
            if not title or _mostly_upper(title):
                continue
            for word in set(_WORD.findall(title)):
                m = _ACRONYM.fullmatch(word)
                if m and not word[1:].islower():
                    seen[m.group(1)] += 1
        learned = {w for w, n in seen.items() if n >= LEARN_MIN_TITLES}
        self.acronyms = {a.lower(): a for a in ACRONYMS | learned if a.lower() not in _ENGLISH}
        # names of people and tools: "jacobian" -> "Jacobian" ("lie" is a verb too)
        self.names = {n.lower(): n for n in PROPER_NOUNS if n.isascii() and n != "Lie"}
        words = sorted({*self.acronyms, *(a + "s" for a in self.acronyms), *self.names})
        self._candidates = _any_of(words)
        # the same test, faster for ASCII titles (the regex costs 20 us a title): a set lookup
        # of the title's words, and the regex of the few candidates that are not one word
        self._candidate_words = frozenset(w.lower() for w in words if _RUN.fullmatch(w))
        self._other_candidates = _any_of([w for w in words if not _RUN.fullmatch(w)])

    def restore(self, title: str) -> str:
        """`title` with each known acronym written in capitals ("odes" -> "ODEs") and each name
        of :data:`latex.PROPER_NOUNS` capitalised ("jacobian" -> "Jacobian")."""
        if not title or not self._has_candidate(title) or _mostly_upper(title):
            return title

        def fix(m: re.Match[str]) -> str:
            word = m.group()
            if word.isupper():
                return word
            low = word.lower()
            if low in self.acronyms:
                return self.acronyms[low]
            if low.endswith("s") and low[:-1] in self.acronyms:
                return self.acronyms[low[:-1]] + "s"
            if word.islower() and low in self.names:
                return self.names[low]
            return word

        return _WORD.sub(fix, title)

    def _has_candidate(self, title: str) -> bool:
        """Whether a known acronym or name is one of the title's words (any case)."""
        if not title.isascii():  # (case-insensitive Unicode matching: the regex decides)
            return self._candidates.search(title) is not None
        if not self._candidate_words.isdisjoint(_RUN.findall(title.lower())):
            return True
        return self._other_candidates.search(title) is not None

    def title_of(self, chosen: str, spellings: Iterable[str | None]) -> str:
        """The chosen title in the best casing among the spellings with the same words, with
        its acronyms restored."""
        others = {t for t in spellings if t and t != chosen}
        if not others:
            return self.restore(chosen)
        norm = normalize_title(chosen)
        same = [chosen, *sorted(t for t in others if normalize_title(t) == norm)]
        return self.restore(best_cased(same))
