"""Every option of every `factstream` command names its FACTSTREAM_* variable and --help shows it."""

import click

from factstream.cli import main


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*path, name))
        else:
            yield (*path, name), cmd


def test_every_option_variable_is_a_shown_factstream_variable():
    seen = 0
    for path, cmd in _commands(main):
        if path and path[0] == "bench":  # an installed add-on's own options
            continue
        for param in cmd.params:
            if not isinstance(param, click.Option) or param.envvar is None:
                continue
            seen += 1
            assert isinstance(param.envvar, str), (path, param.name)
            assert param.envvar.startswith("FACTSTREAM_"), (path, param.name)
            assert param.show_envvar, (path, param.name)
    assert seen > 40
