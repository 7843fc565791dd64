"""The pipeline checks component order against the declared contracts."""

import pytest

from letopis.errors import PipelineError
from letopis.pipeline import DEFAULT_COMPONENTS
from letopis.registry import FACTORIES, check_order, discover, info


def test_default_order_satisfies_every_contract():
    check_order(DEFAULT_COMPONENTS)


def test_every_component_is_found_without_a_hand_kept_list():
    discover()
    assert set(DEFAULT_COMPONENTS) <= set(FACTORIES)


def test_a_component_before_what_it_reads_is_refused_with_the_fix():
    with pytest.raises(PipelineError, match=r"'roles' requires .*entities.*add .*entities"):
        check_order(["nlp", "roles", "entities"])


def test_roles_run_after_places():
    order = list(DEFAULT_COMPONENTS)
    assert order.index("places") < order.index("roles")
    assert "places" in info("roles").requires


def test_unknown_component_names_the_known_ones():
    with pytest.raises(PipelineError, match="unknown pipeline component 'nerr'.*nlp"):
        check_order(["nerr"])
