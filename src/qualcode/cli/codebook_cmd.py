"""``qualcode codebook check`` and ``qualcode codebook show``: validate and look at a codebook."""

from __future__ import annotations

import json

import click

from qualcode.cli import main
from qualcode.cli.options import format_option
from qualcode.codebook import Codebook, load_codebook

codebook_file = click.argument("file", type=click.Path(dir_okay=False))


@main.group("codebook")
def codebook_group() -> None:
    """Validate a codebook and show its tree.

    \b
    Example:
      qualcode codebook check codebook/msm.yaml
      qualcode codebook show codebook/msm.yaml --patterns
    """


@codebook_group.command("check")
@codebook_file
def check_command(file: str) -> None:
    """Validate the codebook FILE; exit 1 with the first problem (file, line, code, fix).

    \b
    Example:
      qualcode codebook check codebook/msm.yaml
    """
    cb = load_codebook(file)
    click.echo(f"{cb.file_name}: valid; {_summary(cb)}")


@codebook_group.command("show")
@codebook_file
@click.option("--patterns", "with_patterns", is_flag=True, help="List every code's patterns.")
@format_option("table", "json")
def show_command(file: str, with_patterns: bool, fmt: str) -> None:
    """Show the code tree of FILE per dimension, with the number of patterns of each code.

    \b
    Example:
      qualcode codebook show codebook/msm.yaml
      qualcode codebook show codebook/msm.yaml --format json
    """
    cb = load_codebook(file)
    if fmt == "json":
        click.echo(json.dumps(_as_dict(cb), ensure_ascii=False, indent=2))
        return
    click.echo(f"{cb.name} (language {cb.language}, version {cb.version or '-'}): {_summary(cb)}")
    for dim in cb.dimensions:
        click.echo(f"\n{dim.id}: {dim.name}")
        for top in cb.top_level():
            if top.dimension != dim.id:
                continue
            for code in cb.descendants(top.id):
                indent = "  " * (cb.depth(code.id) + 1)
                count = len(code.patterns)
                click.echo(f"{indent}{code.id}  {code.name}  [{count} pattern{'s' * (count != 1)}]")
                if with_patterns:
                    for p in code.patterns:
                        weight = f" (weight {p.weight:g})" if p.weight != 1 else ""
                        click.echo(f"{indent}    line {p.line}: {p.source}{weight}")


def _summary(cb: Codebook) -> str:
    patterns = sum(len(c.patterns) for c in cb.codes)
    parts = [f"{len(cb.codes)} codes", f"{len(cb.variables())} variables"]
    for dim in cb.dimensions[1:]:
        parts.append(f"{len(cb.dimension_codes(dim.id))} {dim.id} codes")
    return ", ".join(parts) + f", {patterns} patterns"


def _as_dict(cb: Codebook) -> dict[str, object]:
    return {
        "name": cb.name,
        "language": cb.language,
        "version": cb.version,
        "dimensions": [
            {"id": d.id, "name": d.name, "description": d.description} for d in cb.dimensions
        ],
        "codes": [
            {
                "id": c.id,
                "name": c.name,
                "parent": c.parent,
                "dimension": c.dimension,
                "variable": cb.variable_of(c.id),
                "color": c.color,
                "description": c.description,
                "include": list(c.include),
                "exclude": list(c.exclude),
                "examples": list(c.examples),
                "patterns": [
                    {
                        "source": p.source,
                        "kind": p.kind,
                        "weight": p.weight,
                        "within": p.within if p.kind == "near" else None,
                        "line": p.line,
                    }
                    for p in c.patterns
                ],
            }
            for c in cb.codes
        ],
    }
