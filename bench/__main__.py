"""``python -m factstream.bench``: the same command as ``factstream bench`` (see ``--help``)."""

from factstream.bench.command import bench

if __name__ == "__main__":
    bench(prog_name="python -m factstream.bench")
