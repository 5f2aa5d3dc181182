"""Checks on the unit tree as it would be after the import (pure: no Django).

The file may add units and re-parent existing ones, so every check runs on
the existing parent links merged with the file's: one root, the root stays
the root, every parent exists, no cycles, no branch deeper than a path can
hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from exemplar.people.domain.importer.columns import MAX_DEPTH


@dataclass(frozen=True)
class TreeIssue:
    """A problem with the unit on file row ``row``; ``code`` is a RowError code."""

    row: int
    code: str
    params: dict[str, str]


def check_tree(file_units: dict[str, tuple[int, str]], existing: dict[str, str]) -> list[TreeIssue]:
    """Issues with the merged tree.

    ``file_units`` maps each unit code in the file to (row, parent code);
    ``existing`` maps each unit code in the directory to its parent code
    (``""`` for the root). Both are in the order rows should be reported.
    """
    merged = {**existing, **{code: parent for code, (_row, parent) in file_units.items()}}
    issues = _root_and_parent_issues(file_units, existing, merged)
    flagged = {issue.row for issue in issues}
    # A root given a parent, or a unit under a missing parent, is reported as such, not again as a loop.
    cycles = [i for i in _cycle_issues(file_units, merged) if i.row not in flagged]
    issues.extend(cycles)
    flagged |= {issue.row for issue in cycles}
    issues.extend(i for i in _depth_issues(file_units, merged) if i.row not in flagged)
    return issues


def _root_and_parent_issues(
    file_units: dict[str, tuple[int, str]], existing: dict[str, str], merged: dict[str, str]
) -> list[TreeIssue]:
    issues: list[TreeIssue] = []
    root = next((code for code, parent in existing.items() if not parent), None)
    for code, (row, parent) in file_units.items():
        if not parent:
            if root is None:
                root = code
            elif code != root:
                issues.append(TreeIssue(row, "second_root", {"code": code, "root": root}))
        elif code == root and code in existing:
            issues.append(TreeIssue(row, "root_moved", {"code": code}))
        elif parent not in merged:
            issues.append(TreeIssue(row, "missing_parent", {"parent": parent}))
    return issues


def _cycle_issues(file_units: dict[str, tuple[int, str]], merged: dict[str, str]) -> list[TreeIssue]:
    """Each file unit on a loop of parent links, with the loop spelled out."""
    done: set[str] = set()
    issues: list[TreeIssue] = []
    for start in file_units:
        trail: list[str] = []
        on_trail: dict[str, int] = {}
        code = start
        while code and code in merged and code not in done:
            if code in on_trail:
                loop = trail[on_trail[code] :]
                chain = " → ".join([*loop, code])
                issues.extend(TreeIssue(file_units[c][0], "cycle", {"chain": chain}) for c in loop if c in file_units)
                break
            on_trail[code] = len(trail)
            trail.append(code)
            code = merged[code]
        done.update(trail)
    issues.sort(key=lambda issue: issue.row)
    return issues


def _depths(merged: dict[str, str]) -> dict[str, int]:
    """Depth of every unit that reaches a root; units on loops or under a missing parent are left out."""
    depth: dict[str, int] = {}
    for start in merged:
        trail: list[str] = []
        seen: set[str] = set()
        code = start
        while code in merged and code not in depth and code not in seen:
            seen.add(code)
            trail.append(code)
            parent = merged[code]
            if not parent:
                depth[code] = 0
                trail.pop()
                break
            code = parent
        base = depth.get(code)
        if base is None:
            continue
        for offset, c in enumerate(reversed(trail), start=1):
            depth[c] = base + offset
    return depth


def _depth_issues(file_units: dict[str, tuple[int, str]], merged: dict[str, str]) -> list[TreeIssue]:
    """Too deep: reported on the file row nearest above each unit that would be too deep."""
    depth = _depths(merged)
    rows: dict[int, str] = {}
    for code, d in depth.items():
        if d <= MAX_DEPTH:
            continue
        culprit = code
        while culprit and culprit not in file_units:
            culprit = merged.get(culprit, "")
        if culprit:
            rows.setdefault(file_units[culprit][0], culprit)
    return [TreeIssue(row, "too_deep", {"code": code, "max": str(MAX_DEPTH)}) for row, code in sorted(rows.items())]
