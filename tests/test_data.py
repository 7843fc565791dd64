"""Rule files: every shipped one validates; a malformed one is named with its line and key."""

from pathlib import Path

import pytest

from letopis.data import data_path, load_yaml, load_yaml_file
from letopis.errors import DataError
from letopis.extract.events.lexicon import load_lexicon

SHIPPED = sorted(
    p.name for p in data_path(".").iterdir() if p.suffix == ".yaml" and p.name != "schemas.yaml"
)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_rule_file_validates(name):
    assert load_yaml(name)


def test_a_wrong_type_names_file_line_and_key(tmp_path):
    bad = tmp_path / "merge.yaml"
    bad.write_text("symmetric_types: [CONSULT]\nwindow_days: two\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"merge\.yaml:2: window_days: 'two' is not of type"):
        load_yaml_file(bad)


def test_a_nested_mistake_points_at_its_own_line(tmp_path):
    bad = tmp_path / "igos.yaml"
    bad.write_text(
        "igos:\n  - name: ОДКБ\n    aliases: [ОДКБ]\n  - full: без имени\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"igos\.yaml:4: igos\.1: 'name' is a required property"):
        load_yaml_file(bad)


def test_broken_yaml_is_a_data_error_with_its_line(tmp_path):
    bad = tmp_path / "where_when.yaml"
    bad.write_text("locative_preps: [в, на\nbound_preps: []\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"where_when\.yaml:\d+: not valid YAML"):
        load_yaml_file(bad)


def test_a_users_lexicon_is_checked_against_the_shipped_schema(tmp_path):
    triggers = tmp_path / "my-triggers.yaml"
    triggers.write_text("triggers:\n  ASSAULT:\n    - {lemma: обстрелять, confidence: 2}\n")
    with pytest.raises(DataError, match=r"my-triggers\.yaml:3: triggers\.ASSAULT\.0"):
        load_lexicon(str(triggers), str(Path(data_path("groups.yaml"))))
