"""Which anonymizer each input topic's messages go through: the worker-wide policy's, or the topic's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deidstream.anonymization.anonymizer import Anonymizer
from deidstream.anonymization.policy import Policy
from deidstream.anonymization.secret import Secret

if TYPE_CHECKING:
    from deidstream.config import Settings


class TopicAnonymizers:
    """The anonymizer of each input topic: the worker-wide one, or that of the topic's own policy.

    Topics sharing a policy share its anonymizer, so that every policy's operators
    (and Faker instances) are built once, before the workers fork.
    """

    def __init__(self, settings: Settings, secret: Secret | None) -> None:
        self.default = Anonymizer(settings.policy, secret)
        built = [self.default]

        def anonymizer(policy: Policy) -> Anonymizer:
            """The anonymizer already built for an equal policy, else a new one (policies are compared by value)."""
            same = next((candidate for candidate in built if candidate.policy == policy), None)
            if same is None:
                same = Anonymizer(policy, secret)
                built.append(same)
            return same

        self.by_topic = {
            topic: anonymizer(topic_format.policy)
            for topic, topic_format in settings.formats.items()
            if topic_format.policy is not None
        }
        for topic, topic_format in settings.formats.items():  # field rules' own operators, built before the fork
            for rule in topic_format.fields.values():
                spec = rule.operator_spec()
                if spec is not None:
                    self.for_topic(topic).operator(spec)

    def for_topic(self, topic: str) -> Anonymizer:
        return self.by_topic.get(topic, self.default)
