"""The pipeline's topics, and their creation on real Kafka (`factstream topics create`).

Topics are created with kafka-python's admin client. The embedded broker creates its topics itself;
this is the path production Kafka takes.
"""

from __future__ import annotations

from typing import Any

from factstream.errors import ServiceUnavailable
from factstream.settings import Settings

#: Logical topic names; the configured prefix is added in front of each.
TOPICS = ("articles", "claims", "tracked", "contradictions", "deadletters")


def topic_name(settings: Settings, logical: str) -> str:
    """The real topic name of a logical topic under the configured prefix."""
    return f"{settings.topic_prefix}{logical}"


def topic_names(settings: Settings) -> list[str]:
    """Every real topic name of the pipeline."""
    return [topic_name(settings, logical) for logical in TOPICS]

# Dead letters and tracked claims are the record of what happened: keep them (compacted
# would lose dead letters that share a key). Raw articles can be replayed from the source,
# so a week of retention is enough to rebuild after an incident.
_TOPIC_CONFIGS: dict[str, dict[str, str]] = {
    "articles": {"retention.ms": str(7 * 24 * 3600 * 1000)},
    "deadletters": {"retention.ms": "-1"},
}


def create_topics(settings: Settings, *, admin_options: dict[str, Any] | None = None) -> dict[str, bool]:
    """Create every pipeline topic that does not exist yet; return {name: created}."""
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import KafkaError, TopicAlreadyExistsError

    try:
        admin = KafkaAdminClient(
            bootstrap_servers=(settings.kafka_bootstrap or "").split(","),
            client_id=f"{settings.app_id}-admin",
            **(admin_options or {}),
        )
    except KafkaError as exc:
        raise ServiceUnavailable(f"cannot reach Kafka at {settings.kafka_bootstrap}: {exc}") from exc
    try:
        existing = set(admin.list_topics())
        result: dict[str, bool] = {}
        wanted = []
        for logical in TOPICS:
            name = topic_name(settings, logical)
            result[name] = name not in existing
            if name not in existing:
                wanted.append(
                    NewTopic(
                        name=name,
                        num_partitions=settings.topic_partitions,
                        replication_factor=settings.topic_replication,
                        topic_configs=_TOPIC_CONFIGS.get(logical, {}),
                    )
                )
        if wanted:
            try:
                admin.create_topics(wanted)
            except TopicAlreadyExistsError:
                pass  # another process created them in between: the outcome we wanted
        return result
    finally:
        admin.close()
