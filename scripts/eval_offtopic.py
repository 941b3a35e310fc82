"""Measure the off-topic tail detector on real article text with planted tails.

Articles come from ../shared/corpus/peoples_daily_199801.txt (one paragraph a line,
consecutive lines are one article; headlines, captions and datelines are the short
lines without sentence-ending punctuation, and they separate articles). Every
sampled article gives one negative (the article untouched) and one positive: the
article with a tail appended, glued to the last sentence or after a line break:

  paragraph  a paragraph of a distant article (>= 200 articles away)
  keywords   a list of 6-15 terms taken from a distant article, joined by , 、 or
             spaces, ending in 。 / ,。 / nothing
  blurb      one sentence (20-80 characters) of a distant article

Negatives whose last paragraph is least cohesive with the rest (bottom quarter
by bigram cosine) are reported apart: they are the natural subtopic shifts that
must not be flagged. The five seed pages run through the real cleaner: only 002
may be flagged, at the character where its appended blurb begins.

Prints precision, recall and F1 at the document level and the mean character
offset error of the cut (over true positives). Exit status 1 when a floor given
with --min-precision/--min-recall is not met.

    .venv/bin/python scripts/eval_offtopic.py            # full set
    .venv/bin/python scripts/eval_offtopic.py --n 300 --seed 1 --min-precision 0.97
    .venv/bin/python scripts/eval_offtopic.py --held-out # odd-numbered articles only
    .venv/bin/python scripts/eval_offtopic.py --train    # refit offtopic.SCORE_WEIGHTS

--train fits the detector's split score on cases of seeds 100 and 101 built from the
even-numbered articles only and prints it as Python for offtopic.py; --held-out then
measures the odd-numbered articles, which the fit never saw.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.clean import clean  # noqa: E402
from archive.clean.decode import decode  # noqa: E402
from archive.models import CleanDocument, Metadata, RawPage  # noqa: E402
from archive.signals import offtopic  # noqa: E402
from archive.signals.text_stats import (  # noqa: E402
    FUNCTION_CHARS,
    content_bigrams,
    cosine,
    sentence_units,
    sublinear,
)

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "peoples_daily_199801.txt"
SEEDS = REPO / "raw"
SEED_BLURB_START = "左心"  # where the appended blurb of seed 002 begins (evaluation truth)

# A body line ends with a sentence-ending mark, or with closing quotes right after one
# (…。” ). A line ending in a closing quote without one is a headline (“请把任务交给我们”,
# 确保减负“切一刀”): taking it for a body line glued the next article onto this one
# (since the fifth session; 47 lines of the corpus).
BODY_LINE = re.compile(r"(?:[。！？!?…]|[。！？!?…；;][”’」』]+)$")
# 又讯 ("another report") opens the next item of a news round-up under one headline.
DATELINE = re.compile(r"^(?:(?:据)?(?:本报|新华社|中新社)[^。，]{0,30}(?:电|讯)|又讯)")
KINDS = ("paragraph", "keywords", "blurb")
JOINS = ("glued", "newline")
DISTANT = 200


@dataclass
class Case:
    name: str
    paragraphs: list[str]
    truth_start: int | None  # None: negative
    kind: str
    shifted: bool = False


def load_articles(path: Path = CORPUS, min_paragraphs: int = 3, min_chars: int = 300) -> list[list[str]]:
    """Runs of consecutive body paragraphs, split at headline/caption lines."""
    articles: list[list[str]] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if len(line) >= 15 and BODY_LINE.search(line) and not line.startswith(("（", "(")):
            # A dateline (新华社…电, 本报…讯) opens a new article even without a headline.
            if DATELINE.match(line) and current:
                articles.append(current)
                current = []
            current.append(line)
            continue
        if current:
            articles.append(current)
        current = []
    if current:
        articles.append(current)
    return [a for a in articles if len(a) >= min_paragraphs and sum(map(len, a)) >= min_chars]


_TERM_SPLIT = re.compile("[^\u4e00-\u9fff]+|[" + "".join(sorted(FUNCTION_CHARS)) + "]")


def keyword_list(rng: random.Random, source: list[str]) -> str:
    terms = [t for t in _TERM_SPLIT.split("".join(source)) if 2 <= len(t) <= 6]
    terms = list(dict.fromkeys(terms))
    rng.shuffle(terms)
    picked = terms[: rng.randint(6, 15)]
    sep = rng.choice(["，", ",", "、", " "])
    end = rng.choice(["。", ",。", "", "，"])
    return sep.join(picked) + end


def blurb(rng: random.Random, source: list[str]) -> str | None:
    sentences = [u.text for p in source for u in sentence_units(p) if 20 <= len(u.text) <= 80]
    return rng.choice(sentences) if sentences else None


def last_paragraph_cohesion(paragraphs: list[str]) -> float:
    rest = content_bigrams("".join(paragraphs[:-1]))
    return cosine(sublinear(content_bigrams(paragraphs[-1])), sublinear(rest))


def build_cases(articles: list[list[str]], n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    idx = list(range(len(articles)))
    rng.shuffle(idx)
    chosen = idx[:n] if n else idx
    cohesions = {i: last_paragraph_cohesion(articles[i]) for i in chosen}
    low_quarter = sorted(cohesions.values())[len(cohesions) // 4] if cohesions else 0.0
    cases: list[Case] = []
    for j, i in enumerate(chosen):
        art = articles[i]
        cases.append(Case(f"neg#{i}", list(art), None, "negative", cohesions[i] < low_quarter))
        far = [x for x in range(len(articles)) if abs(x - i) >= DISTANT]
        src = articles[rng.choice(far)]
        kind = KINDS[j % len(KINDS)]
        join = JOINS[(j // len(KINDS)) % len(JOINS)]
        if kind == "paragraph":
            tail = rng.choice(src)
        elif kind == "keywords":
            tail = keyword_list(rng, src)
        else:
            tail = blurb(rng, src)
            if tail is None:
                continue
        paras = list(art)
        body_len = len("\n\n".join(paras))
        if join == "glued":
            paras[-1] = paras[-1] + tail
            start = body_len
        else:
            paras.append(tail)
            start = body_len + 2
        cases.append(Case(f"pos#{i}/{kind}/{join}", paras, start, f"{kind}/{join}"))
    return cases


def run_detector(paragraphs: list[str]) -> tuple[int | None, str | None]:
    doc = CleanDocument(path="eval", sha256="", paragraphs=paragraphs, metadata=Metadata())
    res = offtopic.detect(doc)
    return res.offtopic_start, res.offtopic_reason


def seed_report() -> tuple[list[str], bool]:
    lines, ok = [], True
    for f in sorted(SEEDS.glob("*.txt")):
        doc = clean(decode(RawPage(path=f.name, data=f.read_bytes())))
        res = offtopic.detect(doc)
        truth = doc.body.find(SEED_BLURB_START) if f.name.startswith("002") else None
        good = res.offtopic_start == (truth if truth is not None and truth >= 0 else None)
        ok &= good
        lines.append(
            f"  {f.name}: flagged at {res.offtopic_start} ({res.offtopic_reason}), "
            f"expected {truth} -> {'ok' if good else 'WRONG'}"
        )
    return lines, ok


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    mean_offset_error: float
    seeds_ok: bool


def article_index(case: Case) -> int:
    """The index of the case's article in ``load_articles()`` (names are ``neg#i``, ``pos#i/…``)."""
    return int(case.name.split("/")[0].split("#")[1])


def is_held_out(case: Case) -> bool:
    """Odd-numbered articles: never seen by ``train`` (which fits the split score on even ones)."""
    return article_index(case) % 2 == 1


def evaluate(
    n: int, seed: int, verbose: bool = False, show_errors: int = 0, held_out: bool = False
) -> Scores:
    started = time.perf_counter()
    articles = load_articles()
    cases = build_cases(articles, n, seed)
    if held_out:
        cases = [c for c in cases if is_held_out(c)]
    tp = fp = fn = tn = 0
    errors: list[int] = []
    per_kind: Counter[str] = Counter()
    per_kind_hit: Counter[str] = Counter()
    shifted = shifted_fp = 0
    fp_examples, fn_examples = [], []
    detector_seconds = 0.0
    for case in cases:
        t0 = time.perf_counter()
        start, reason = run_detector(case.paragraphs)
        if case.truth_start is None:
            detector_seconds += time.perf_counter() - t0
        if case.truth_start is None:
            shifted += case.shifted
            if start is None:
                tn += 1
            else:
                fp += 1
                shifted_fp += case.shifted
                fp_examples.append((case, start, reason))
        else:
            per_kind[case.kind] += 1
            if start is None:
                fn += 1
                fn_examples.append(case)
            else:
                tp += 1
                per_kind_hit[case.kind] += 1
                errors.append(abs(start - case.truth_start))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    mean_err = statistics.mean(errors) if errors else 0.0
    exact = sum(e == 0 for e in errors)
    seed_lines, seeds_ok = seed_report()
    secs = time.perf_counter() - started
    print(
        f"articles in corpus: {len(articles)}; sampled: {n or len(articles)}; seed {seed}"
        + ("; held-out (odd) articles only" if held_out else "")
    )
    print(f"cases: {tp + fn} positive, {tn + fp} negative ({shifted} with a shifted last paragraph)")
    print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    print(f"TP {tp}  FP {fp}  FN {fn}  TN {tn}")
    print(f"false flags on shifted-ending negatives: {shifted_fp}/{shifted}")
    by_reason = Counter(reason for _case, _start, reason in fp_examples)
    print("false flags by evidence: " + (", ".join(f"{r} {n}" for r, n in by_reason.most_common()) or "none"))
    print(f"mean offset error {mean_err:.2f} chars; exact cuts {exact}/{len(errors)}")
    for kind in sorted(per_kind):
        print(
            f"  recall {kind:20} {per_kind_hit[kind] / per_kind[kind]:.3f} ({per_kind_hit[kind]}/{per_kind[kind]})"
        )
    print("seeds:")
    print("\n".join(seed_lines))
    print(
        f"seconds {secs:.1f}; detector {1000 * detector_seconds / max(1, tn + fp):.2f} ms per untouched article"
    )
    for case, start, reason in fp_examples[:show_errors]:
        body = "\n\n".join(case.paragraphs)
        print(
            f"FP {case.name} at {start} ({reason}): ...{body[max(0, start - 60) : start]}|{body[start : start + 120]}"
        )
    for case in fn_examples[:show_errors]:
        body = "\n\n".join(case.paragraphs)
        print(
            f"FN {case.name}: ...{body[case.truth_start - 40 : case.truth_start]}|{body[case.truth_start :][:120]}"
        )
    return Scores(precision, recall, f1, mean_err, seeds_ok)


@dataclass
class DuplicateScores:
    precision: float
    recall: float
    exact: int
    cut: int


def evaluate_with_duplicate(n: int, seed: int) -> DuplicateScores:
    """The "part the duplicate lacks" evidence, on the same cases, each given a near-duplicate.

    Positives: the article with its planted tail; the duplicate is the untouched
    article (the cut must fall where the tail begins). Negatives, the hard case for
    this evidence: the untouched article, whose duplicate is a copy that lacks the
    article's own last paragraph (a syndicated copy cut short): that paragraph must
    stay. Articles of fewer than four paragraphs give no negative (the copy would be
    too short to be a near-duplicate).
    """
    articles = load_articles()
    cases = build_cases(articles, n, seed)
    by_article = {c.name.split("/")[0].split("#")[1]: c for c in cases if c.truth_start is None}
    tp = fp = fn = tn = exact = 0
    for case in cases:
        key = case.name.split("/")[0].split("#")[1]
        article = by_article[key].paragraphs
        body = "\n\n".join(case.paragraphs)
        if case.truth_start is None:
            if len(article) < 4:
                continue
            res = offtopic.cut_against_duplicate(body, "\n\n".join(article[:-1]))
            fp += res is not None
            tn += res is None
        else:
            res = offtopic.cut_against_duplicate(body, "\n\n".join(article))
            if res is None:
                fn += 1
            else:
                tp += 1
                exact += res.offtopic_start == case.truth_start
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"with a near-duplicate: precision {precision:.4f}  recall {recall:.4f}  "
        f"(TP {tp} FP {fp} FN {fn} TN {tn}; exact cuts {exact}/{tp})"
    )
    return DuplicateScores(precision, recall, exact, tp)


# The split score (offtopic.SCORE_WEIGHTS) is fitted on cases of these seeds, even-numbered
# articles only; the odd-numbered ones (``--held-out``) are never seen by the fit.
TRAIN_SEEDS = (100, 101)
# The document precision the threshold is set for on the training cases. A little above the
# issue's floor of 0.97: a false flag cuts text a reader should see, and 500-article samples of
# the eval scatter by about +-0.005 around the full set's precision (seventh session: 0.975
# gave 0.965 on one of them, 0.976 gives 0.971 or more on all).
TARGET_PRECISION = 0.976


def _fit_logistic(x, y, l2: float):
    """L2-regularised logistic regression by Newton's method on standardised features;
    returns the weights and bias on the raw features."""
    import numpy as np

    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[(x - mean) / std, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + l2 * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[:-1] / std
    return weights, float(w[-1] - (w[:-1] * mean / std).sum())


def train(
    seeds: tuple[int, ...] = TRAIN_SEEDS, l2: float = 1.0, target_precision: float = TARGET_PRECISION
) -> str:
    """Fit the split score on the even-numbered articles of ``seeds`` and return it as the
    Python text of offtopic's SCORE_WEIGHTS, SCORE_BIAS and MIN_SCORE.

    Rows: every split the score may cut (``offtopic.scored_split``) of every case; label 1
    at the planted tail's start, 0 in an untouched article or before the tail's start
    (splits inside the tail are left out of the fit). MIN_SCORE is the lowest logit at
    which the documents' precision (a document is flagged when any split reaches it, or
    by the stuffing and definition evidence) is still ``target_precision``.
    """
    import numpy as np

    articles = load_articles()
    features: list[list[float]] = []
    labels: list[int] = []
    docs: list[tuple[list[int], bool, bool]] = []  # (rows, is negative, cut by stuffing/definition)
    names: list[str] = []
    for seed in seeds:
        for case in build_cases(articles, 0, seed):
            if is_held_out(case):
                continue
            body = CleanDocument(path="eval", sha256="", paragraphs=case.paragraphs, metadata=Metadata()).body
            rows, hard = [], False
            for ev in offtopic.scan(body):
                hard |= offtopic._is_offtopic(ev) and bool(offtopic.SHAPE_EVIDENCE.intersection(ev.fired))
                if not offtopic.scored_split(ev):
                    continue
                f = offtopic.score_features(ev)
                names = list(f)
                rows.append(len(features))
                features.append(list(f.values()))
                truth = case.truth_start
                labels.append(-1 if truth is not None and ev.start > truth else int(ev.start == truth))
            docs.append((rows, case.truth_start is None, hard))
    x, y = np.array(features), np.array(labels)
    fit_rows = y >= 0
    weights, bias = _fit_logistic(x[fit_rows], y[fit_rows].astype(float), l2)
    logits = x @ weights + bias
    doc_scores = sorted(
        ((np.inf if hard else max((logits[r] for r in rows), default=-np.inf)), negative)
        for rows, negative, hard in docs
    )[::-1]
    tp = fp = 0
    threshold = np.inf
    for value, negative in doc_scores:
        fp += negative
        tp += not negative
        if tp / (tp + fp) >= target_precision and np.isfinite(value):
            threshold = value
    positives = sum(not negative for _r, negative, _h in docs)
    flagged = [negative for value, negative in doc_scores if value >= threshold]
    print(
        f"trained on {len(docs)} cases (seeds {seeds}, even articles), {int(fit_rows.sum())} splits; "
        f"at MIN_SCORE {threshold:.3f}: precision {flagged.count(False) / len(flagged):.4f} "
        f"recall {flagged.count(False) / positives:.4f}"
    )
    lines = ["SCORE_WEIGHTS: dict[str, float] = {"]
    lines += [f'    "{name}": {w:.4f},' for name, w in zip(names, weights, strict=True)]
    lines += ["}", f"SCORE_BIAS = {bias:.4f}", f"MIN_SCORE = {threshold:.4f}"]
    return "\n".join(lines)


DEVSET = SHARED / "devset"


def devset_report(show: int = 0) -> tuple[int, int, int]:
    """The detector on real pages: the devset's 100 pages, HTML and text dump, through the
    real cleaner. They have no planted tails; a cut is either text the human reference
    body holds (a false flag: the reader loses article text) or text it does not (what
    the cut removed was not article text). Returns (pages, false flags, other cuts)."""
    import json

    pages = false_flags = other = 0
    for f in sorted((DEVSET / "pages").glob("*.*")):
        if f.suffix not in (".html", ".txt"):
            continue
        truth = json.loads((DEVSET / "truth" / f"{f.stem}.json").read_text(encoding="utf-8"))
        kind = "html" if f.suffix == ".html" else "text"
        doc = clean(decode(RawPage(path=f.name, data=f.read_bytes(), kind=kind)))
        pages += 1
        if not doc.paragraphs:
            continue
        res = offtopic.detect(doc)
        if res.offtopic is None:
            continue
        reference = "".join((truth.get("body") or "").split())
        cut = "".join(res.offtopic.split())
        # The cut's opening is what matters: a cut that starts inside the article
        # takes article text with it, whatever follows.
        in_reference = cut[:20] in reference
        false_flags += in_reference
        other += not in_reference
        if show:
            verdict = "FALSE FLAG" if in_reference else "not article text"
            print(f"  {f.name}: {verdict} ({res.offtopic_reason}): {res.offtopic[:80]!r}")
    print(
        f"devset (real pages, {pages} HTML + text dumps): {false_flags + other} cut, "
        f"{false_flags} of them article text (false flags), {other} not article text"
    )
    return pages, false_flags, other


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=0, help="articles to sample (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-precision", type=float, default=None)
    parser.add_argument("--min-recall", type=float, default=None)
    parser.add_argument("--show-errors", type=int, default=0, help="print this many FP and FN cases")
    parser.add_argument(
        "--duplicate",
        action="store_true",
        help="also measure the near-duplicate evidence (cut_against_duplicate)",
    )
    parser.add_argument(
        "--devset", action="store_true", help="also run the detector on ../shared/devset pages"
    )
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="evaluate on the odd-numbered articles only (those --train never sees)",
    )
    parser.add_argument(
        "--train",
        action="store_true",
        help="fit the split score (seeds 100 and 101, even-numbered articles) and print it",
    )
    args = parser.parse_args(argv)
    if args.train:
        print(train())
        return 0
    scores = evaluate(args.n, args.seed, show_errors=args.show_errors, held_out=args.held_out)
    if args.duplicate:
        evaluate_with_duplicate(args.n, args.seed)
    if args.devset:
        devset_report(show=args.show_errors)
    failed = []
    if args.min_precision is not None and scores.precision < args.min_precision:
        failed.append(f"precision {scores.precision:.4f} < {args.min_precision}")
    if args.min_recall is not None and scores.recall < args.min_recall:
        failed.append(f"recall {scores.recall:.4f} < {args.min_recall}")
    if not scores.seeds_ok:
        failed.append("seed cases wrong")
    for f in failed:
        print(f"FLOOR NOT MET: {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
