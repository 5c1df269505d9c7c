"""Author names on real data: how many are still short, split or wrongly joined.

    python bench/bench_author_names.py [--s2 DIR] [--sample 12]

Three columns, measured in the same run on the same records:

- "as given": the names as the records print them (no name resolution);
- "issue 9": graph/authors.py with ``rules=frozenset()``, the rules of issue 9;
- "now": graph/authors.py with every rule of ``authors.RULES``.

On the bundled offline build (curated list + field sample, works resolved as `build` does),
over every node's author list, and over `bib --scope all` (the BibTeX author fields):

- names written with initials only ("T. Chen", "R. T. Q. Chen");
- of those, how many have a fuller form in the graph (same surname, compatible given names),
  and how many of those fit exactly one person lined up from the first name: the ones a
  careful reader would write out;
- people printed in two forms: an initials-only name on one node, its only fitting fuller
  form on another;
- surnames split across spellings (not fixed by any rule, counted for the record): "Le Cun" /
  "LeCun", "Gomez Rodriguez" / "Gomez-Rodriguez", "Joan Bruna" / "Joan Bruna Estrach".

Out of sample: the real Semantic Scholar records of ``--s2`` (default
/work/shared/reference/s2-responses: Turing 1950, its 1,000 citing papers and 14 references,
one author's 60 papers). Every author there has an S2 authorId and no authorId is printed in
two forms, so each name the resolver changes to another printed name joins two S2 author
profiles: the list is printed for inspection (S2 splits profiles, so some are right).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from implicit_atlas.graph.authors import RULES, AuthorNames, compatible, name_form, reads_as_pinyin
from implicit_atlas.graph.bibtex import build_bibliography
from implicit_atlas.graph.build import add_catalog
from implicit_atlas.graph.catalog import load_catalog
from implicit_atlas.graph.field_sample import add_field_sample, load_field_sample
from implicit_atlas.graph.latex import parse_name
from implicit_atlas.graph.registry import PaperRegistry

S2_DIR = Path("/work/shared/reference/s2-responses")
Lists = dict[Hashable, list[str]]
MODES = ("as given", "issue 9", "now")
OPTIONAL_RULES = ("rare-surname", "spelled-first-name")  # in graph/authors.py, off by default


def bundled_records() -> tuple[list[tuple[Hashable, list[str]]], Lists, dict[Any, Any], Any]:
    """The bundled build's records: (work, authors) per record, each node's list as merged,
    the citing works of each work, and the registry (resolved as `build` resolves it)."""
    reg = PaperRegistry()
    add_catalog(reg, load_catalog())
    add_field_sample(reg, load_field_sample())
    reg.resolve_works()
    members = reg._members()
    records = [
        (w, list(r["authors"])) for w, recs in members.items() for r in recs if r.get("authors")
    ]
    nodes = {w: list(reg.record(w).get("authors") or []) for w in members}
    return records, nodes, reg._citing_works(reg._roots()), reg


def s2_records(folder: Path) -> tuple[list[tuple[Hashable, list[str]]], dict[str, set[str]]]:
    """(paperId, author names) of every record in the S2 responses, and name -> authorIds."""
    paper = json.loads((folder / "Paper.json").read_text("utf-8"))
    author = json.loads((folder / "Author.json").read_text("utf-8"))
    found = [paper, *paper["citations"], *paper["references"], *author["papers"]]
    records: list[tuple[Hashable, list[str]]] = []
    ids: dict[str, set[str]] = defaultdict(set)
    for n, rec in enumerate(found):
        people = [a for a in rec.get("authors") or [] if a.get("name")]
        records.append((rec.get("paperId") or f"record {n}", [a["name"] for a in people]))
        for a in people:
            ids[a["name"]].add(str(a.get("authorId")))
    return records, ids


def resolved(
    records: list[tuple[Hashable, list[str]]],
    lists: Lists,
    mode: str,
    citing: dict[Any, Any] | None = None,
) -> Lists:
    if mode == "as given":
        return {w: list(a) for w, a in lists.items()}
    names = AuthorNames(records, citing=citing, rules=RULES if mode == "now" else frozenset())
    return {w: names.best_list(w, a) for w, a in lists.items()}


def _lined_up_candidates(text: str, forms_by_last: dict[str, set[str]]) -> tuple[int, bool]:
    """How many fuller compatible forms `text` has, and whether they are one lined-up person."""
    form = name_form(text)
    if form is None:
        return 0, False
    fuller = [
        f
        for f in (name_form(t) for t in forms_by_last[form.last])
        if f is not None and f.fullness > form.fullness and compatible(form, f)
    ]
    if not fuller:
        return 0, False
    fullest = max(fuller, key=lambda f: f.fullness)
    one = all(compatible(form, f, lined_up=True) for f in fuller) and all(
        compatible(f, fullest) or compatible(fullest, f) for f in fuller
    )
    return len(fuller), one


def name_counts(lists: Lists, everything: Lists) -> dict[str, Any]:
    """Initials-only names, those with a fuller form in `everything`, and split spellings."""
    forms_by_last: dict[str, set[str]] = defaultdict(set)
    for authors in everything.values():
        for a in authors:
            f = name_form(a)
            if f is not None:
                forms_by_last[f.last].add(a)
    printed: dict[str, set[str]] = defaultdict(set)  # the forms the output itself prints
    for authors in lists.values():
        for a in authors:
            f = name_form(a)
            if f is not None:
                printed[f.last].add(a)
    total = short = with_fuller = one_person = 0
    kinds: Counter[str] = Counter()
    two_forms: Counter[str] = Counter()
    for authors in lists.values():
        for a in authors:
            total += 1
            f = name_form(a)
            if f is None or not f.initials_only:
                continue
            short += 1
            n, one = _lined_up_candidates(a, forms_by_last)
            with_fuller += n > 0
            one_person += one
            if one:
                people = {
                    g.given[0][0] for g in map(name_form, forms_by_last[f.last]) if g and g.given
                }
                kind = (
                    "pinyin"
                    if reads_as_pinyin(f.squashed, 1)
                    else "rare"
                    if len(people) <= 3
                    else "common"
                )
                kinds[kind] += 1
            if one and _lined_up_candidates(a, printed)[1]:
                two_forms[a] += 1
    return {
        "names": total,
        "initials only": short,
        "  with a fuller form in the graph": with_fuller,
        "  ... fitting one person only": one_person,
        "    Chinese (one-syllable pinyin) surname": kinds["pinyin"],
        "    other surname, at most 3 people carry it": kinds["rare"],
        "    other surname, 4 or more people": kinds["common"],
        "people printed in two forms": len(two_forms),
        "_two_forms": two_forms,
    }


def split_surnames(lists: Lists) -> list[tuple[str, str]]:
    """Pairs of printed names whose surnames differ only by a space, a hyphen or a dropped
    second surname, with compatible given names."""
    by_key: dict[str, set[str]] = defaultdict(set)
    names = {a for authors in lists.values() for a in authors}
    for a in names:
        parts = parse_name(a)
        if parts is None or parts.corporate:
            continue
        surname = f"{parts.von} {parts.last}".strip()
        by_key[re.sub(r"[\s-]", "", surname.lower())].add(a)
    pairs = []
    for group in by_key.values():
        lasts = {name_form(a).last for a in group if name_form(a) is not None}  # type: ignore[union-attr]
        if len(lasts) > 1:
            ordered = sorted(group)
            pairs.append((ordered[0], ordered[-1]))
    for a in sorted(names):  # "Joan Bruna Estrach" beside "Joan Bruna"
        words = a.split()
        if len(words) >= 3 and words[-2][0].isupper() and len(words[-2]) > 2:
            shorter = " ".join(words[:-1])
            if shorter in names:
                pairs.append((shorter, a))
    return pairs


def bib_authors(G: Any) -> Lists:
    """Each BibTeX entry's authors, written back as "First Last" for the same counts."""
    bib = build_bibliography(G)
    out: Lists = {}
    for key, entry in bib.entry_of_key.items():
        field = entry.fields_dict.get("author")
        if field is None:
            continue
        people = []
        for person in re.split(r"\s+and\s+", str(field.value)):
            last, _, first = person.partition(", ")
            people.append(f"{first} {last}".strip().replace("{", "").replace("}", ""))
        out[key] = people
    return out


def table(title: str, rows: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"  {'':44s}" + "".join(f"{m:>12s}" for m in rows))
    first = next(iter(rows.values()))
    for label in first:
        if label.startswith("_"):
            continue
        print(f"  {label:44s}" + "".join(f"{rows[m][label]:>12}" for m in rows))


def changed(before: Lists, after: Lists) -> list[tuple[str, str]]:
    return [
        (a, b)
        for w in before
        for a, b in zip(before[w], after[w], strict=True)
        if a != b
        and a.replace(" ", "") != b.replace(" ", "").replace(".", "")
        and with_dots_only(a) != b
    ]


def with_dots_only(name: str) -> str:
    return " ".join(w + "." if len(w) == 1 and "A" <= w <= "Z" else w for w in name.split())


def sample(title: str, items: Sequence[Any], n: int, show: Callable[[Any], str] = str) -> None:
    print(f"  {title} ({len(items)}), e.g.:")
    for item in items[:n]:
        print(f"    {show(item)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--s2", type=Path, default=S2_DIR, help="folder of real S2 responses")
    ap.add_argument("--sample", type=int, default=12, help="examples printed per list")
    args = ap.parse_args()

    records, nodes, citing, reg = bundled_records()
    everything = {n: a for n, (w, a) in enumerate(records)} | {
        ("node", w): a for w, a in nodes.items()
    }
    out = {m: resolved(records, nodes, m, citing) for m in MODES}
    table(
        f"bundled offline build: {len(nodes)} works, author lists of the nodes",
        {m: name_counts(out[m], everything) for m in MODES},
    )

    G = reg.to_graph()
    keys = reg.node_keys()
    graphs = {}
    for m in MODES:
        graphs[m] = G.copy()
        for h, key in keys.items():
            if key in G and h in out[m]:
                graphs[m].nodes[key]["authors"] = out[m][h]
    bib = {m: bib_authors(graphs[m]) for m in MODES}
    table(
        "bib --scope all (BibTeX author fields)",
        {m: name_counts(bib[m], everything) for m in MODES},
    )

    print("\nchanged names (beyond a dot), bundled build:")
    for m in MODES[1:]:
        print(f"  {m}: {len(changed(out['as given'], out[m]))}")
    new = sorted({(a, b) for a, b in changed(out["issue 9"], out["now"])}, key=lambda p: p[1])
    sample("'now' differs from 'issue 9'", new, args.sample, lambda p: f"{p[0]!r} -> {p[1]!r}")
    still = name_counts(out["now"], everything)["_two_forms"]
    sample("still printed in two forms ('now')", sorted(still), args.sample)
    split = split_surnames(out["now"])
    sample("surnames split across spellings ('now', no rule yet)", split, args.sample)

    if not (args.s2 / "Paper.json").exists():
        print(f"\n(no S2 responses in {args.s2}: out-of-sample check skipped)")
        return
    s2, ids = s2_records(args.s2)
    s2_lists = {n: a for n, (_, a) in enumerate(s2)}
    s2_works = {n: w for n, (w, _) in enumerate(s2)}
    s2_out = {}
    for m in MODES:
        if m == "as given":
            s2_out[m] = s2_lists
            continue
        names = AuthorNames(s2, rules=RULES if m == "now" else frozenset())
        s2_out[m] = {n: names.best_list(s2_works[n], a) for n, a in s2_lists.items()}
    s2_everything = dict(s2_lists)
    rows = {m: name_counts(s2_out[m], s2_everything) for m in MODES}
    for m in MODES:
        joins = [(a, b) for a, b in changed(s2_out["as given"], s2_out[m]) if b in ids]
        rows[m]["names joined to another S2 profile"] = len(joins)
        rows[m]["_joins"] = joins
    table(f"real S2 records ({args.s2}): {len(s2)} records, {len(ids)} printed names", rows)
    for m in MODES[1:]:
        joins = sorted(set(rows[m]["_joins"]))
        sample(f"'{m}' joins", joins, 50, lambda p: f"{p[0]!r} -> {p[1]!r}")

    for rule in OPTIONAL_RULES:
        print(f"\nthe rule left out, {rule!r}: names it would change beyond 'now'")
        names = AuthorNames(records, citing=citing, rules=RULES | {rule})
        with_rule = {w: names.best_list(w, a) for w, a in nodes.items()}
        sample("bundled build", sorted(set(changed(out["now"], with_rule))), 40, _arrow)
        names = AuthorNames(s2, rules=RULES | {rule})
        s2_rule = {n: names.best_list(s2_works[n], a) for n, a in s2_lists.items()}
        sample("S2 records", sorted(set(changed(s2_out["now"], s2_rule))), 40, _arrow)


def _arrow(pair: tuple[str, str]) -> str:
    return f"{pair[0]!r} -> {pair[1]!r}"


if __name__ == "__main__":
    main()
