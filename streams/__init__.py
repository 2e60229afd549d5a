"""factstream: what runs. The faust app, processors, sinks, the store, embedded services, the CLI."""

__version__ = "0.1.0"
