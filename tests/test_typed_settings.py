"""The product's settings, typed (issue 33): each setting of its kind, checked at start-up with its name, and
read through `settings()` rather than by string keys."""

import ast
from pathlib import Path

import pytest

from eventapp import create_app
from eventapp.platform.settings import ConfigurationError, Settings, settings

ROOT = Path(__file__).resolve().parents[1]


def app_with(monkeypatch, tmp_path, **environment):
    monkeypatch.setenv("EVENTAPP_ENV", "testing")
    for name, value in environment.items():
        monkeypatch.setenv(f"EVENTAPP_{name}", value)
    return create_app(overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"})


def test_settings_from_the_environment_take_their_kind(monkeypatch, tmp_path):
    app = app_with(
        monkeypatch, tmp_path, RETENTION_DAYS="30", DEMO_MORNING="true", LANGUAGES='["nl", "en"]', REQUEST_LOG="0"
    )
    with app.app_context():
        chosen = settings()
    assert (chosen.retention_days, chosen.demo_morning, chosen.languages, chosen.request_log) == (
        30,
        True,
        ("nl", "en"),
        False,
    )


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("RETENTION_DAYS", "ninety", "a whole number"),
        ("MAIL_MAX_ATTEMPTS", "2.5", "a whole number"),
        ("DEMO_ACCOUNTS", "maybe", "true or false"),
        ("ORGANIZER_NAME", "[1, 2]", "a text"),
    ],
)
def test_a_setting_of_the_wrong_kind_stops_the_start_with_its_name(monkeypatch, tmp_path, name, value, kind):
    with pytest.raises(ConfigurationError, match=f"EVENTAPP_{name} must be {kind}"):
        app_with(monkeypatch, tmp_path, **{name: value})


def test_every_setting_has_a_default_in_config_default_py():
    defaults = {
        node.targets[0].id
        for node in ast.parse((ROOT / "config" / "default.py").read_text()).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    named = {name.upper() for name in Settings.__dataclass_fields__} - {"ENV_NAME"}  # ENV_NAME: EVENTAPP_ENV
    assert named - defaults == set()


def test_the_code_reads_the_product_settings_through_settings_not_by_key():
    product = {name.upper() for name in Settings.__dataclass_fields__}
    by_key = []
    for path in (ROOT / "eventapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                key = node.slice.value
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get" and node.args:
                key = getattr(node.args[0], "value", None)
            else:
                continue
            if key in product and "config" in ast.unparse(node):
                by_key.append(f"{path.relative_to(ROOT)}:{node.lineno} {key}")
    allowed = {"eventapp/platform/settings.py"}  # where the settings are loaded and checked
    assert [line for line in by_key if line.split(":")[0] not in allowed] == []
