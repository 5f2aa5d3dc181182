"""Path arithmetic for the unit tree (pure: no Django).

A unit's path is the chain of ids from the root, each zero-padded to a fixed
width and ended by "/": root 1 is ``000000001/``, its child 7 is
``000000001/000000007/``. A subtree is a prefix match; ancestors are read
off the path; children of a unit share the prefix of one more step.
"""

from __future__ import annotations

WIDTH = 9
STEP = WIDTH + 1


def segment(unit_id: int) -> str:
    return f"{unit_id:0{WIDTH}d}/"


def child_path(parent_path: str, unit_id: int) -> str:
    return parent_path + segment(unit_id)


def ids_in_path(path: str) -> list[int]:
    """All ids on the path, root first, the unit itself last."""
    return [int(path[i : i + WIDTH]) for i in range(0, len(path), STEP)]


def depth_of(path: str) -> int:
    return len(path) // STEP - 1


def is_within(path: str, ancestor_path: str) -> bool:
    """True when ``path`` is ``ancestor_path`` or lies below it."""
    return path.startswith(ancestor_path)


def child_prefix(path: str, parent_path: str) -> str:
    """The path of the child of ``parent_path`` that ``path`` lies under."""
    return path[: len(parent_path) + STEP]
