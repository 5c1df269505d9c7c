"""The field's acronyms, so the map's search finds "ODE" in "Ordinary Differential Equations".

People type "neural ode", "deq" or "sde"; titles spell them out, or the other way round. The
page's search (``assets/map.js``) matches each typed word as the prefix of a title or author
word, accents ignored, and treats an acronym and its long form as the same words: a title
with the long form also answers to the acronym, and a title with the acronym to the long
form. :func:`expand` is the same rule in Python, for tests and scripts.

    >>> expand("Neural Ordinary Differential Equations")
    ['neural', 'ordinary', 'differential', 'equations', 'ode']
    >>> expand("DEQ-Flow")
    ['deq', 'flow', 'deep', 'equilibrium']
"""

from __future__ import annotations

import re
import unicodedata

#: acronym -> long form (lowercase words; a title word matches a long-form word by prefix,
#: so "equations" matches "equation")
ACRONYMS: dict[str, str] = {
    "ode": "ordinary differential equation",
    "sde": "stochastic differential equation",
    "cde": "controlled differential equation",
    "pde": "partial differential equation",
    "dae": "differential algebraic equation",
    "rde": "rough differential equation",
    "dde": "delay differential equation",
    "deq": "deep equilibrium",
    "mdeq": "multiscale deep equilibrium",
    "mon": "monotone operator equilibrium network",
    "inn": "invertible neural network",
    "cnf": "continuous normalizing flow",
    "gnn": "graph neural network",
    "gcn": "graph convolutional network",
    "pinn": "physics informed neural network",
    "qp": "quadratic program",
    "lp": "linear program",
    "mpc": "model predictive control",
    "icnn": "input convex neural network",
    "ift": "implicit function theorem",
    "ad": "automatic differentiation",
    "jfb": "jacobian free backpropagation",
    "rnn": "recurrent neural network",
    "cnn": "convolutional neural network",
    "vae": "variational autoencoder",
    "gan": "generative adversarial network",
    "ebm": "energy based model",
    "ot": "optimal transport",
}

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lowercase, accent-free words (what the page searches in)."""
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch)
    )
    return _WORD.findall(folded)


def expand(text: str) -> list[str]:
    """The words of `text`, then the acronyms of long forms it contains, then the long forms
    of acronyms it contains (a trailing plural "s" on an acronym is ignored)."""
    found = words(text)
    extra: list[str] = []
    for acronym, long_form in ACRONYMS.items():
        phrase = long_form.split()
        for i in range(len(found) - len(phrase) + 1):
            if all(found[i + j].startswith(p) for j, p in enumerate(phrase)):
                extra.append(acronym)
                break
    for word in found:
        base = word[:-1] if word.endswith("s") and word[:-1] in ACRONYMS else word
        if base in ACRONYMS:
            extra.extend(ACRONYMS[base].split())
    out = list(found)
    for word in extra:
        if word not in out:
            out.append(word)
    return out
