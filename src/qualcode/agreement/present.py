"""Agreement results for people: a plain-text table and a standalone HTML page.

Both say which units were counted and why, show each alpha against
Krippendorff's thresholds, and list the codes below them, the one with the
most disagreements first, with the passages the coders coded differently.
"""

from __future__ import annotations

from html import escape

from qualcode.agreement.result import (
    RELIABLE,
    TENTATIVE,
    AgreementResult,
    CodeAgreement,
    Disagreement,
)

__all__ = ["format_html", "format_table"]

#: Passages shown per code below the thresholds.
_SHOWN = 3


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _bounds(interval: tuple[float, float]) -> str:
    return f"[{interval[0]:.3f}, {interval[1]:.3f}]"


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _unit_word(result: AgreementResult) -> str:
    return "characters" if result.unit == "character" else f"{result.unit}s"


def units_note(result: AgreementResult) -> str:
    """One sentence on which units were counted, and why."""
    word = _unit_word(result)
    if result.scope == "all":
        return (
            f"units: every {result.unit} of the transcripts, interviewer turns, headings and "
            "record metadata included (--units all)"
        )
    left = f"{result.n_left_out} {word} left out" if result.n_left_out else f"no {word} left out"
    return (
        f"units: respondent speech only ({left}: interviewer turns, headings and record "
        "metadata are nobody's to code, so coders cannot disagree on them)"
    )


def _kappa_note(result: AgreementResult) -> str:
    return (
        "kappa: Cohen's (two coders); fleiss: Fleiss' kappa; AC1: Gwet's, robust for rare codes"
        if len(result.coders) == 2
        else "kappa: Cohen's, for two coders only; fleiss: Fleiss' kappa over all "
        f"{len(result.coders)} coders; AC1: Gwet's, robust for rare codes"
    )


def _flagged(result: AgreementResult) -> list[tuple[CodeAgreement, tuple[Disagreement, ...]]]:
    """Codes whose alpha is below 'reliable', the one with most disagreements first."""
    below = [
        (c, result.disagreements_on(c.code))
        for c in result.per_code
        if c.alpha is not None and c.alpha < RELIABLE
    ]
    return sorted(below, key=lambda pair: (-len(pair[1]), pair[0].alpha or 0.0, pair[0].code))


def _excerpt(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def format_table(result: AgreementResult) -> str:
    """Plain text: a header, a row per code, units, the domain, codes below the thresholds."""
    unit_word = _unit_word(result)
    lines = [
        f"Agreement of {len(result.coders)} coders ({', '.join(result.coders)}) on "
        f"{result.n_units} {unit_word} of {len(result.files)} transcript"
        f"{'' if len(result.files) == 1 else 's'}",
    ]
    if result.skipped_files:
        lines.append(f"left out, not coded by every coder: {', '.join(result.skipped_files)}")
    lines.append("")
    interval = ["alpha 95% CI"] if result.bootstrap else []
    header = [
        "code",
        unit_word,
        "agreement",
        "kappa",
        "fleiss",
        "AC1",
        "alpha",
        *interval,
        "reliability",
        *(f"by {k}" for k in result.coders),
    ]
    body = [
        [
            c.code,
            str(c.n_units),
            "n/a" if c.percent_agreement is None else f"{c.percent_agreement:.1f}%",
            _number(c.kappa),
            _number(c.fleiss_kappa),
            _number(c.ac1),
            _number(c.alpha),
            *(([_bounds(c.alpha_ci)] if c.alpha_ci else ["n/a"]) if result.bootstrap else []),
            c.reliability,
            *(str(c.applied.get(k, 0)) for k in result.coders),
        ]
        for c in result.per_code
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0])] + [
            v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    if not body:
        lines.append("(no codes to compare)")
    lines += ["", units_note(result), _kappa_note(result)]
    lines.append(
        f"reliability: Krippendorff's alpha >= {RELIABLE:.3f} reliable, >= {TENTATIVE:.3f} "
        "tentative, below that unreliable"
        + (f"; intervals from {result.bootstrap} bootstrap samples" if result.bootstrap else "")
    )
    lines.append("")
    if result.domain is None:
        lines.append(
            "domain: not asked (pass --variable or --codes for codes that exclude each other)"
        )
    else:
        dom = result.domain
        ci = f" (95% CI {_bounds(dom.alpha_ci)})" if dom.alpha_ci else ""
        lines.append(
            f"domain ({', '.join(dom.codes)}): alpha (nominal) {_number(dom.alpha_nominal)}{ci}, "
            f"{dom.reliability}, over {dom.n_units} {unit_word}, "
            f"fleiss {_number(dom.fleiss_kappa)}, AC1 {_number(dom.ac1)}, "
            f"{dom.n_ambiguous} ambiguous"
        )
    flagged = _flagged(result)
    if flagged:
        lines += ["", "Below reliable, most disagreements first:"]
        for code, found in flagged:
            lines.append(
                f"  {code.code}: alpha {_number(code.alpha)} ({code.reliability}), "
                f"{_plural(len(found), 'disagreement')}"
            )
            for d in found[:_SHOWN]:
                who = "; ".join(
                    f"{k} {'yes' if code.code in v else 'no'}" for k, v in d.by_coder.items()
                )
                lines.append(f"    {d.file} {d.start}-{d.end} ({who}): {_excerpt(d.text)}")
    count = len(result.disagreements)
    lines.append("")
    lines.append(
        f"{count} disagreement{'' if count == 1 else 's'}"
        + (" (listed with --format json)" if count else "")
    )
    return "\n".join(lines)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid #ccc; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.reliable { background: #d8ecf7; }
.tentative { background: #fbe9c6; }
.unreliable { background: #f3d1e1; }
.undefined { color: #666; }
blockquote { margin: .4rem 0 .8rem 1rem; padding-left: .8rem; border-left: 3px solid #999; }
.who { color: #444; font-size: .9em; }
"""


def format_html(result: AgreementResult) -> str:
    """A standalone HTML page of *result*: the same content as :func:`format_table`."""
    word = _unit_word(result)
    heads = ["code", word, "agreement", "kappa", "fleiss", "AC1", "alpha"]
    if result.bootstrap:
        heads.append("alpha 95% CI")
    heads += ["reliability", *(f"by {escape(k)}" for k in result.coders)]
    rows = []
    for c in result.per_code:
        cells = [
            escape(c.code),
            str(c.n_units),
            "n/a" if c.percent_agreement is None else f"{c.percent_agreement:.1f}%",
            _number(c.kappa),
            _number(c.fleiss_kappa),
            _number(c.ac1),
            _number(c.alpha),
        ]
        if result.bootstrap:
            cells.append(_bounds(c.alpha_ci) if c.alpha_ci else "n/a")
        cells += [c.reliability, *(str(c.applied.get(k, 0)) for k in result.coders)]
        rows.append(
            f'<tr class="{c.reliability}">' + "".join(f"<td>{v}</td>" for v in cells) + "</tr>"
        )
    parts = [
        f"<h1>Intercoder agreement: {len(result.coders)} coders</h1>",
        f"<p>{escape(', '.join(result.coders))}; {result.n_units} {word} of "
        f"{_plural(len(result.files), 'transcript')}.</p>",
        f"<p>{escape(units_note(result))}.</p>",
        f"<p>{escape(_kappa_note(result))}. Krippendorff's alpha ≥ {RELIABLE:.3f}: "
        f'<span class="reliable">reliable</span>; ≥ {TENTATIVE:.3f}: '
        '<span class="tentative">tentative</span>; below: '
        '<span class="unreliable">unreliable</span>.</p>',
    ]
    if result.skipped_files:
        parts.append(
            f"<p>Left out, not coded by every coder: {escape(', '.join(result.skipped_files))}.</p>"
        )
    parts.append(
        '<div class="table-wrap"><table><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in heads)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )
    if result.domain is not None:
        dom = result.domain
        parts.append(
            f'<p class="{dom.reliability}">Codes that exclude each other '
            f"({escape(', '.join(dom.codes))}): nominal alpha {_number(dom.alpha_nominal)} "
            f"({dom.reliability}) over {dom.n_units} {word}; Fleiss' kappa "
            f"{_number(dom.fleiss_kappa)}; AC1 {_number(dom.ac1)}.</p>"
        )
    flagged = _flagged(result)
    if flagged:
        parts.append("<h2>Codes below reliable, most disagreements first</h2>")
    for code, found in flagged:
        parts.append(
            f"<h3>{escape(code.code)}: alpha {_number(code.alpha)} ({code.reliability}), "
            f"{_plural(len(found), 'disagreement')}</h3>"
        )
        for d in found:
            who = "; ".join(
                f"{escape(k)}: {'coded' if code.code in v else 'not coded'}"
                for k, v in d.by_coder.items()
            )
            parts.append(
                f'<p class="who">{escape(d.file)} {d.start}–{d.end} — {who}</p>'
                f"<blockquote>{escape(d.text)}</blockquote>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Intercoder agreement</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )
