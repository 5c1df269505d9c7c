"""LaTeX text encoding for bibliography fields: titles and names from outside are data.

Every character that means something to LaTeX or BibTeX is replaced by a command whose braces
are balanced, so BibTeX's brace counting can never be thrown off (``\\{`` would be: BibTeX
counts it as an opening brace). DOIs and URLs are never passed through here.

    >>> escape_latex("R&D: 100% of $x_1$")
    'R\\\\&D: 100\\\\% of \\\\$x\\\\_1\\\\$'
    >>> encode_accents("Müller")
    'M{\\\\"u}ller'
    >>> protect_title("Neural ODEs meet OptNet")
    'Neural {ODE}s meet {OptNet}'
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

# Characters special to LaTeX, each replaced by a command with balanced braces only.
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIALS_RE = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")

# Combining marks (after NFD decomposition) and the LaTeX accent command for each.
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0328": "k",
}

# Letters and symbols that do not decompose into base + accent.
_SPECIAL_LETTERS = {
    "ß": r"{\ss}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
    "đ": r"{\dj}",
    "Đ": r"{\DJ}",
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "…": r"{\ldots}",
    "\u00a0": "~",
    "×": r"{$\times$}",
    "α": r"{$\alpha$}",
    "β": r"{$\beta$}",
    "γ": r"{$\gamma$}",
    "δ": r"{$\delta$}",
    "ε": r"{$\epsilon$}",
    "θ": r"{$\theta$}",
    "λ": r"{$\lambda$}",
    "μ": r"{$\mu$}",
    "π": r"{$\pi$}",
    "σ": r"{$\sigma$}",
    "τ": r"{$\tau$}",
    "φ": r"{$\phi$}",
    "ω": r"{$\omega$}",
    "Σ": r"{$\Sigma$}",
    "Ω": r"{$\Omega$}",
}


def escape_latex(text: str) -> str:
    """Escape ``& % $ # _ { } ~ ^ \\`` so `text` prints as itself; unicode is kept."""
    return _SPECIALS_RE.sub(lambda m: _SPECIALS[m.group()], text)


def encode_accents(text: str) -> str:
    """LaTeX-encode non-ASCII letters (``ü`` -> ``{\\"u}``) for ``--ascii`` output.

    Characters LaTeX has no command for (CJK, most symbols) are kept as UTF-8: dropping them
    would change the title, and a modern LaTeX reads them.
    """
    if text.isascii():
        return text
    out: list[str] = []
    for char in text:
        if char.isascii():
            out.append(char)
        elif char in _SPECIAL_LETTERS:
            out.append(_SPECIAL_LETTERS[char])
        else:
            out.append(_encode_decomposable(char))
    return "".join(out)


def _encode_decomposable(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii() or any(m not in _ACCENTS for m in marks):
        return char
    encoded = base
    for mark in marks:
        command = _ACCENTS[mark]
        if len(encoded) == 1 and not command.isalpha():
            encoded = f"\\{command}{encoded}"  # \"u
        else:
            encoded = f"\\{command}{{{encoded}}}"  # \v{c}, \'{\^e}
    return "{" + encoded + "}"


def latex_text(text: str, *, ascii_only: bool = False) -> str:
    """Escape `text` for a BibTeX text field; with `ascii_only`, also encode accents."""
    escaped = escape_latex(text)
    return encode_accents(escaped) if ascii_only else escaped


# --- title capitals ------------------------------------------------------------------------

# Capitalised words that styles must not lowercase: names of people, places and tools that
# recur in the field's titles. Acronyms and camel case (ODE, OptNet) are detected, not listed.
PROPER_NOUNS = frozenset(
    """
    Adam Anderson Arnold Banach Bayes Bayesian Bellman Boltzmann Broyden Brownian Cauchy
    Chebyshev Dirichlet Euclidean Euler Fokker Fourier Gauss Gaussian Gaussians Gibbs Hamilton
    Hamiltonian Hessian Hilbert Hopfield Ito Itô Jacobian Jacobians Julia Kalman Karush Koopman
    Kolmogorov Krylov Kuhn Kutta Lagrange Lagrangian Langevin Laplace Laplacian Lie Lipschitz
    Lur'e Lyapunov Markov Markovian Monte Carlo Nash Nesterov Newton Newtonian Noether Planck
    Pontryagin Python Riemann Riemannian Runge Schrödinger Sinkhorn Sobolev Stratonovich Stein
    Taylor Tucker Turing Volterra Wasserstein Wiener Hopf Wolfe Zico
    """.split()
)

_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def _needs_protection(word: str, *, first: bool) -> bool:
    if word in PROPER_NOUNS:
        return True
    if any(c.isupper() for c in word[1:]):
        return True  # acronyms and camel case: ODE, OptNet, iResNet, 3D
    if len(word) == 1 and word.isupper() and not first and word != "A":
        return True  # "Type I", "Part B"
    return False


def title_segments(title: str) -> list[tuple[str, bool]]:
    """Split `title` into (text, protect) runs; protected runs must keep their capitals."""
    segments: list[tuple[str, bool]] = []
    pos = 0
    for index, match in enumerate(_WORD_RE.finditer(title)):
        word = match.group()
        if not _needs_protection(word, first=index == 0):
            continue
        if match.start() > pos:
            segments.append((title[pos : match.start()], False))
        plural = re.fullmatch(r"([A-Z][A-Z0-9]+)s", word)
        if plural:  # "ODEs" -> "{ODE}s": the plural s stays lowercase either way
            segments.append((plural.group(1), True))
            segments.append(("s", False))
        else:
            segments.append((word, True))
        pos = match.end()
    if pos < len(title):
        segments.append((title[pos:], False))
    return segments


def protect_title(title: str, *, ascii_only: bool = False) -> str:
    """Escape `title` and brace the words whose capitals carry meaning (``{ODE}s``)."""
    parts = []
    for text, protect in title_segments(title):
        encoded = latex_text(text, ascii_only=ascii_only)
        parts.append("{" + encoded + "}" if protect else encoded)
    return "".join(parts)


# --- person names --------------------------------------------------------------------------

# (compared in lower case: "Laurens Van Der Maaten", "Laurent El Ghaoui" keep their surnames)
PARTICLES = frozenset(
    "van von der den de del della di da du la le les dos das do ten ter zu zur vander "
    "el al ibn ó ní".split()
)
SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
# Words that mark an organisation, whose name BibTeX must not split into first and last.
CORPORATE_WORDS = frozenset(
    """team inc inc. llc ltd ltd. group consortium collaboration laboratory laboratories lab labs
    foundation project corporation corp corp. developers contributors university institute
    society committee association organization organisation council agency company authors
    community deepmind openai""".split()
)


@dataclass(frozen=True)
class NameParts:
    """A person's name as BibTeX splits it; `corporate` names are kept whole in `last`."""

    first: str
    von: str
    last: str
    jr: str = ""
    corporate: bool = False


@functools.lru_cache(maxsize=65536)
def parse_name(name: str) -> NameParts | None:
    """Split "Balthasar van der Pol" into first / von / last; None for an empty name.

    Organisations ("Gurobi Optimization, LLC", "The JAX Team") and names BibTeX could not
    split safely (containing "and" or several commas) are marked corporate.
    """
    text = " ".join(str(name).split())
    if not text:
        return None
    words = text.split(" ")
    lowered = [w.lower().strip(",") for w in words]
    if (
        any(w in CORPORATE_WORDS for w in lowered)
        or "and" in lowered
        or "&" in text
        or text.count(",") > 1
    ):
        return NameParts("", "", text, corporate=True)
    if "," in text:
        last_part, first = (p.strip() for p in text.split(",", 1))
        words = last_part.split(" ")
        von_words = list(itertools.takewhile(lambda w: w.lower() in PARTICLES, words[:-1]))
        return NameParts(first, " ".join(von_words), " ".join(words[len(von_words) :]))
    jr = ""
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        jr, words = words[-1], words[:-1]
    if len(words) == 1:
        return NameParts("", "", words[0], jr)
    for i in range(1, len(words) - 1):
        if words[i].lower() in PARTICLES:
            j = i
            while j < len(words) - 1 and words[j].lower() in PARTICLES:
                j += 1
            return NameParts(" ".join(words[:i]), " ".join(words[i:j]), " ".join(words[j:]), jr)
    return NameParts(" ".join(words[:-1]), "", words[-1], jr)


def bibtex_name(name: str, *, ascii_only: bool = False) -> str | None:
    """One author as BibTeX reads it: "van der Pol, Balthasar", "{Gurobi Optimization, LLC}"."""
    parts = parse_name(name)
    if parts is None:
        return None

    def enc(text: str) -> str:
        return latex_text(text, ascii_only=ascii_only)

    if parts.corporate:
        return "{" + enc(parts.last) + "}"
    last = enc(f"{parts.von} {parts.last}".strip())
    pieces = [last, enc(parts.jr), enc(parts.first)]
    return ", ".join(p for p in pieces if p)


def author_list(value: object) -> list[str]:
    """A node's `authors` as a list of names (a lone string is one name, None is none)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(name) for name in value if name is not None]
    return []


def bibtex_authors(authors: object, *, ascii_only: bool = False) -> str | None:
    """The author field: names joined with " and ", or None when no name is known."""
    names = [n for n in (bibtex_name(a, ascii_only=ascii_only) for a in author_list(authors)) if n]
    return " and ".join(names) or None


# --- decoding (reading a user's .bib file) -------------------------------------------------

_INVERSE_SPECIALS = sorted(
    ((v, k) for k, v in _SPECIALS.items()), key=lambda pair: len(pair[0]), reverse=True
)
_COMBINING = {v: k for k, v in _ACCENTS.items()}
_ACCENT_CMD_RE = re.compile(r"\\([`'^~=.\"]|[uvHcdkr](?![A-Za-z]))\s*\{?\s*(\\i|[^\W\d_])\s*\}?")
_LETTER_CMDS = {v.strip("{}"): k for k, v in _SPECIAL_LETTERS.items() if v.startswith("{\\")}


def decode_latex(text: str) -> str:
    """Best-effort inverse of :func:`latex_text` and :func:`protect_title`, for matching.

    Used to compare titles in a user's ``.bib`` file with graph titles, and in tests.
    """
    for encoded, char in _INVERSE_SPECIALS:
        text = text.replace(encoded, char if char not in "{}" else f"\x00{char}")

    def accent(m: re.Match[str]) -> str:
        base = "i" if m.group(2) == "\\i" else m.group(2)
        return unicodedata.normalize("NFC", base + _COMBINING[m.group(1)])

    previous = None
    while previous != text:  # nested accents decode from the inside out
        previous, text = text, _ACCENT_CMD_RE.sub(accent, text)
    for command, char in _LETTER_CMDS.items():
        text = re.sub(re.escape(command) + r"(?![A-Za-z])\s?", char.replace("\\", r"\\"), text)
    text = text.replace("---", "—").replace("--", "–")
    # Remove grouping braces but keep literal (escaped) braces marked with NUL above.
    text = re.sub(r"(?<!\x00)[{}]", "", text)
    return text.replace("\x00", "")
