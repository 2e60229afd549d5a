"""The docs keep up with the code: every setting and every CLI command is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click

from factstream.cli import main
from factstream.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "factstream") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, f"{prefix} {name}"))
        else:
            out.append(f"{prefix} {name}")
    return out


def test_readme_opens_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block and README.index("```sh") < 40
    lines = [ln.split("#")[0].strip() for ln in first_block.group(1).splitlines() if ln.strip()]
    assert lines == ["make demo", "make test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci


def test_every_setting_is_documented():
    from factstream.processors.extract.settings import ExtractSettings
    from factstream.processors.judge.settings import JudgeSettings

    for model in (Settings, ExtractSettings, JudgeSettings):
        prefix = model.model_config["env_prefix"]
        for name in model.model_fields:
            var = f"{prefix}{name}".upper()
            assert var in README, f"{var} is not in the README"


def test_every_cli_command_is_documented():
    documented = README
    for command in _commands(main):
        group_form = re.sub(r" (start|stop|status)$", r" start/stop/status", command)
        assert command in documented or group_form in documented, f"`{command}` is not in the README"


def test_every_cli_option_reads_an_environment_variable():
    checked: list[str] = []
    missing: list[str] = []

    def walk(cmd: click.Command, path: str) -> None:
        for param in cmd.params:
            if (isinstance(param, click.Option) and not param.is_flag
                    and param.name not in {"help", "version"}):
                checked.append(f"{path} --{param.name}")
                if param.envvar is None:
                    missing.append(checked[-1])
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}")

    walk(main, "factstream")
    assert checked, "no CLI option found: the walk is broken"
    assert not missing, f"options with no environment variable: {missing}"


def test_plugin_guide_covers_the_whole_contract():
    guide = (Path(__file__).resolve().parents[1] / "docs" / "plugins.md").read_text(encoding="utf-8")
    from factstream.processors.base import Processor
    from factstream.processors.registry import ENTRY_POINT_GROUP

    members = [m for m in vars(Processor) if not m.startswith("_")] + list(Processor.__annotations__)
    for member in set(members) - {"name"} | {"batch_size", "process_batch"}:
        assert f"`{member}" in guide, f"docs/plugins.md does not document `{member}`"
    assert f'"{ENTRY_POINT_GROUP}"' in guide
    for command in ("factstream processors list", "factstream run --processors", "ProcessorHarness"):
        assert command in guide
    example = Path(__file__).resolve().parents[1] / "examples" / "factstream-topic-tagger"
    assert (example / "pyproject.toml").exists()
