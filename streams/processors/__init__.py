"""Stream processors: pure logic over pydantic records, no broker or database calls inside.

Built-ins (extract, dedup, contradict) are registered through the same entry-point group
(``factstream.processors``) that plug-ins use; see :mod:`factstream.processors.base`.
"""
