"""The layering says what is meant (issue 33): every module is in a layer, only the app factory imports a
blueprint (inside its own package too, which import-linter does not look at), and the contracts break on the
imports they are there to forbid."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def layered(container: str = "") -> set[str]:
    """The modules named in the layers contracts of `container` ("" for the areas' contract)."""
    names = set()
    for contract in CONTRACTS:
        if contract["type"] == "layers" and contract.get("containers", [""]) == [container]:
            for layer in contract["layers"]:
                names |= {name.strip() for name in layer.replace(":", "|").split("|")}
    return names


def children(package: Path) -> set[str]:
    """The modules and packages directly inside `package`, as import-linter names them."""
    found = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    found |= {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    return found


def test_every_module_of_eventapp_and_of_the_platform_is_in_a_layer():
    assert {f"eventapp.{name}" for name in children(ROOT / "eventapp")} - layered() == set()
    assert children(ROOT / "eventapp" / "platform") - layered("eventapp.platform") == set()


BLUEPRINT = re.compile(r"^bp = (Blueprint|back_office)\(", re.MULTILINE)


def blueprint_modules() -> set[str]:
    """The modules that make a blueprint (a public one, or one of the back office)."""
    modules = set()
    for path in (ROOT / "eventapp").rglob("*.py"):
        if BLUEPRINT.search(path.read_text()):
            modules.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return modules


def test_every_blueprint_is_a_leaf_that_only_the_app_factory_imports():
    graph = grimp.build_graph("eventapp")
    for module in sorted(blueprint_modules()):
        assert graph.find_modules_that_directly_import(module) <= {"eventapp"}, module


def test_every_blueprint_is_named_in_the_views_contract():
    contract = next(c for c in CONTRACTS if c["name"].startswith("Views are leaves"))
    named = set(contract["forbidden_modules"])

    def covered(module: str) -> bool:
        parts = module.split(".")
        wildcard = ".".join(parts[:-2] + ["*", parts[-1]])
        return module in named or wildcard in named

    assert {module for module in blueprint_modules() if not covered(module)} == set()


@pytest.mark.parametrize(
    ("module", "probe"),
    [
        ("checkin/services.py", "from eventapp.organiser import services as _probe  # noqa"),  # the desk, upward
        ("statements/services.py", "from eventapp.feedback import services as _probe  # noqa"),  # siblings
        ("platform/mail/outbox.py", "from eventapp.registration import models as _probe  # noqa"),  # plumbing
        ("platform/db.py", "from eventapp.platform import i18n as _probe  # noqa"),  # the bottom layer
        ("registration/choices.py", "from eventapp.registration import views as _probe  # noqa"),  # a blueprint
    ],
)
def test_the_contracts_break_on_a_forbidden_import(tmp_path, module, probe):
    shutil.copytree(ROOT / "eventapp", tmp_path / "eventapp", ignore=shutil.ignore_patterns("static", "translations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / "eventapp" / module
    target.write_text(target.read_text() + "\n" + probe + "\n")
    run = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0 and "BROKEN" in run.stdout, run.stdout[-2000:]
