"""``python -m bench``: the same command as ``factstream bench`` (see ``--help``)."""

from streams.commands.bench import bench

if __name__ == "__main__":
    bench(prog_name="python -m bench")
