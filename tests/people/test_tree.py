"""The unit tree: path arithmetic (pure), tree queries (constant query counts), and its writers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry
from exemplar.people.domain import tree
from exemplar.people.domain.queries import ancestors, children_with_headcounts, subtree, subtree_headcount
from exemplar.people.domain.units import create_unit, move_unit
from exemplar.people.enums import PersonStatus
from exemplar.people.models import OrgUnit
from tests.factories.people import PersonFactory, make_unit

unit_ids = st.integers(min_value=1, max_value=10**tree.WIDTH - 1)
id_chains = st.lists(unit_ids, min_size=1, max_size=12)


def _path_of(ids: list[int]) -> str:
    path = ""
    for unit_id in ids:
        path = tree.child_path(path, unit_id)
    return path


def _chain(depth: int) -> list[OrgUnit]:
    """A root and one unit per level below it, ``depth`` levels deep."""
    units = [make_unit("L0")]
    for level in range(1, depth + 1):
        units.append(make_unit(f"L{level}", units[-1]))
    return units


# --- pure path arithmetic ----------------------------------------------------


@pytest.mark.unit
class TestPathArithmetic:
    def test_paths_are_fixed_width_segments(self):
        assert tree.child_path("", 1) == "000000001/"
        assert tree.child_path("000000001/", 7) == "000000001/000000007/"
        assert tree.depth_of("000000001/000000007/") == 1
        assert tree.child_prefix("000000001/000000007/000000042/", "000000001/") == "000000001/000000007/"

    def test_sibling_ids_sharing_digits_are_not_nested(self):
        # Unit 1 and unit 12 share a leading digit; a path prefix must not confuse them.
        assert not tree.is_within(tree.child_path("", 12), tree.child_path("", 1))

    @given(ids=id_chains)
    def test_ids_round_trip_through_the_path(self, ids):
        path = _path_of(ids)
        assert tree.ids_in_path(path) == ids
        assert tree.depth_of(path) == len(ids) - 1

    @given(parent=id_chains, child=unit_ids)
    def test_child_path_adds_one_level(self, parent, child):
        parent_path = _path_of(parent)
        path = tree.child_path(parent_path, child)
        assert tree.ids_in_path(path) == [*parent, child]
        assert tree.depth_of(path) == tree.depth_of(parent_path) + 1
        assert tree.child_prefix(path, parent_path) == path

    @given(ids=id_chains)
    def test_is_within_is_reflexive(self, ids):
        path = _path_of(ids)
        assert tree.is_within(path, path)

    @given(a=id_chains, b=id_chains, c=id_chains)
    def test_is_within_is_transitive(self, a, b, c):
        top = _path_of(a)
        middle = top + _path_of(b)
        bottom = middle + _path_of(c)
        assert tree.is_within(middle, top)
        assert tree.is_within(bottom, middle)
        assert tree.is_within(bottom, top)

    @given(ids=id_chains, child=unit_ids)
    def test_a_parent_is_not_within_its_child(self, ids, child):
        parent_path = _path_of(ids)
        assert not tree.is_within(parent_path, tree.child_path(parent_path, child))

    @given(a=id_chains, b=id_chains)
    def test_is_within_matches_id_prefix(self, a, b):
        assert tree.is_within(_path_of(a), _path_of(b)) == (a[: len(b)] == b)


# --- queries -----------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize("depth", [2, 8])
def test_subtree_is_one_query_at_any_depth(db, django_assert_num_queries, depth):
    chain = _chain(depth)
    with django_assert_num_queries(1):
        below_root = list(subtree(chain[0]))
    assert below_root == chain
    assert list(subtree(chain[-2])) == chain[-2:]


@pytest.mark.integration
@pytest.mark.parametrize("depth", [2, 8])
def test_ancestors_is_one_query_at_any_depth(db, django_assert_num_queries, depth):
    chain = _chain(depth)
    with django_assert_num_queries(1):
        above_leaf = list(ancestors(chain[-1]))
    assert above_leaf == chain[:-1]
    assert list(ancestors(chain[0])) == []


@pytest.mark.integration
@pytest.mark.parametrize("n_children", [1, 5])
def test_children_with_headcounts_is_three_queries(db, django_assert_num_queries, n_children):
    root = make_unit("ROOT")
    children = [make_unit(f"C{i}", root) for i in range(n_children)]
    grandchild = make_unit("C0-X", children[0])
    PersonFactory.create_batch(2, unit=children[0])
    PersonFactory(unit=grandchild)
    with django_assert_num_queries(3):
        rows = children_with_headcounts(root)
    expected = [(children[0], 3, True)] + [(c, 0, False) for c in children[1:]]
    assert rows == expected


@pytest.mark.integration
def test_headcounts_include_descendants_and_only_active_people(org):
    PersonFactory(unit=org.a)
    PersonFactory.create_batch(2, unit=org.a1)
    PersonFactory(unit=org.a2)
    PersonFactory(unit=org.a1, status=PersonStatus.RETIRED)
    PersonFactory(unit=org.a2, status=PersonStatus.LEFT)
    PersonFactory(unit=org.b1)
    PersonFactory(unit=org.root)

    assert children_with_headcounts(org.root) == [(org.a, 4, True), (org.b, 1, True)]
    assert children_with_headcounts(org.a) == [(org.a1, 2, False), (org.a2, 1, False)]
    assert children_with_headcounts(org.b1) == []
    assert [subtree_headcount(u) for u in (org.root, org.a, org.a1, org.b)] == [6, 4, 2, 1]
    assert subtree_headcount(org.a, status=PersonStatus.RETIRED) == 1


# --- writers -----------------------------------------------------------------


def _tree_state() -> list[tuple[str, str, int, int | None]]:
    return list(OrgUnit.objects.order_by("code").values_list("code", "path", "depth", "parent_id"))


@pytest.mark.integration
def test_move_unit_moves_the_whole_subtree(org, office_user):
    grandchild = make_unit("A1-X", org.a1)
    great = make_unit("A1-X-Y", grandchild)

    moved = move_unit(org.a1, new_parent=org.b1, actor=office_user)

    for unit in (grandchild, great):
        unit.refresh_from_db()
    assert moved.parent == org.b1
    assert moved.path == tree.child_path(org.b1.path, org.a1.pk)
    assert (moved.depth, grandchild.depth, great.depth) == (3, 4, 5)
    assert grandchild.path == tree.child_path(moved.path, grandchild.pk)
    assert great.path == tree.child_path(grandchild.path, great.pk)
    assert grandchild.parent_id == moved.pk
    assert list(subtree(org.b)) == [org.b, org.b1, moved, grandchild, great]
    assert list(subtree(org.a)) == [org.a, org.a2]
    assert list(ancestors(great)) == [org.root, org.b, org.b1, moved, grandchild]
    entry = AuditEntry.objects.get(action="exemplar.people.unit_moved")
    assert (entry.actor, entry.object_id, entry.data) == (office_user, str(org.a1.pk), {"from": "A", "to": "B1"})


@pytest.mark.integration
@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_move_unit_refuses_moving_below_itself_and_changes_nothing(org, office_user, target):
    grandchild = make_unit("A1-X", org.a1)
    new_parent = {"self": org.a, "child": org.a1, "grandchild": grandchild}[target]
    before = _tree_state()

    with pytest.raises(DomainError, match="cannot be moved below itself"):
        move_unit(org.a, new_parent=new_parent, actor=office_user)

    assert _tree_state() == before
    assert list(AuditEntry.objects.all()) == []


@pytest.mark.integration
def test_create_unit_sets_path_and_logs(org, office_user):
    unit = create_unit(code="A1-NEW", name="新单位", name_en="New unit", parent=org.a1, actor=office_user)
    assert (unit.path, unit.depth, unit.parent) == (tree.child_path(org.a1.path, unit.pk), 3, org.a1)
    assert list(subtree(org.a1)) == [org.a1, unit]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == ("exemplar.people.unit_created", {"code": "A1-NEW", "parent": "A1"})


@pytest.mark.integration
def test_create_unit_makes_the_first_root(db):
    root = create_unit(code="ROOT", name="集团", parent=None, actor=None)
    assert (root.path, root.depth, root.parent) == (tree.child_path("", root.pk), 0, None)


@pytest.mark.integration
def test_create_unit_refuses_a_second_root(org, office_user):
    before = _tree_state()
    with pytest.raises(DomainError, match="already has a root"):
        create_unit(code="ROOT2", name="第二集团", parent=None, actor=office_user)
    assert _tree_state() == before
    assert list(AuditEntry.objects.all()) == []


@pytest.mark.integration
def test_create_unit_refuses_a_duplicate_code(org, office_user):
    before = _tree_state()
    with pytest.raises(DomainError, match="code A1 already exists"):
        create_unit(code="A1", name="重复", parent=org.b, actor=office_user)
    assert _tree_state() == before
    assert list(AuditEntry.objects.all()) == []
