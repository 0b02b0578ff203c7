"""What the Rasa server promises for every channel, set on the agent that handles the messages.

- **Store outage:** Rasa wraps the tracker store in a FailSafeTrackerStore: when the
  database is down it logs the error, starts the conversation from scratch in memory and
  saves nothing, so the user gets answers that ignore everything said before. Here a
  store error raises ConversationStoreUnavailable instead; each channel then says "try
  again" (UNAVAILABLE_TEXT; REST: 503) and nothing is stored half-way. The next message
  after the database is back works as usual.
- **Hung action server:** Rasa waits up to 5 minutes for a custom action. Here the action
  endpoint gives up after `timeout` seconds (endpoints.yml, action_endpoint; default
  ACTION_TIMEOUT_S); the action then counts as failed and LookupUnavailablePolicy gives
  the outage answer.

- **No message text in the logs:** Rasa's RegexMessageHandler warns about a message that
  starts with "/" but is not a valid payload, quoting the whole message
  ("/greet@ my name is ..."); that one warning is silenced (the message is still answered).

`prepare(agent)` is idempotent and cheap: every channel calls it before it hands a message
to the agent, so it holds from the first message on any channel, and for the new agent a
model reload makes. It touches two attributes of Rasa's Agent; if they are not what it
expects (another Rasa version), it warns once and leaves Rasa's own behaviour.
"""
from __future__ import annotations

import logging
import warnings
from typing import Any, Optional, Text

from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

# The only warning Rasa raises with a user's message in it (rasa/shared/core/training_data/
# story_reader/yaml_story_reader.py, unpack_regex_message): always "Failed to parse arguments in line '<message>'".
warnings.filterwarnings("ignore", message="Failed to parse arguments in line ", category=UserWarning)

ACTION_TIMEOUT_S = 5.0
UNAVAILABLE_TEXT = (
    "Sorry, I can't reach my conversation store right now. Please try again in a few minutes. "
    "If you have warning signs after CAR T, call your CAR T team's 24/7 number now, or 911."
)


class ConversationStoreUnavailable(Exception):
    pass


def _raise_unavailable(error: Exception) -> None:
    # the driver's first line only: SQLAlchemy's message goes on with the statement's
    # parameters, which hold what the user wrote
    reason = str(getattr(error, "orig", None) or error).splitlines()[0] if str(error) else ""
    logger.error(f"Conversation store unavailable: {type(error).__name__}: {reason}")
    raise ConversationStoreUnavailable(type(error).__name__) from error


class TimedEndpointConfig(EndpointConfig):
    """The action endpoint, with requests that give up after `timeout_s` seconds."""

    def __init__(self, endpoint: EndpointConfig, timeout_s: float) -> None:
        super().__init__(endpoint.url, endpoint.params, endpoint.headers, endpoint.basic_auth, endpoint.token,
                         endpoint.token_name, endpoint.cafile, **endpoint.kwargs)
        self.type = endpoint.type
        self.timeout_s = timeout_s

    async def request(self, *args: Any, **kwargs: Any) -> Optional[Any]:
        kwargs["timeout"] = min(kwargs.get("timeout") or self.timeout_s, self.timeout_s)
        return await super().request(*args, **kwargs)


_warned = False


def _warn_once(what: Text) -> None:
    global _warned
    if not _warned:
        logger.warning(f"Rasa's agent looks different than expected ({what}): using Rasa's own behaviour.")
        _warned = True


def prepare(agent: Any) -> None:
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _raise_unavailable  # Rasa's own hook for this
    elif store is not None:
        _warn_once("tracker store")
    endpoint = getattr(agent, "action_endpoint", None)
    processor = getattr(agent, "processor", None)
    if not isinstance(endpoint, EndpointConfig) or isinstance(endpoint, TimedEndpointConfig) or processor is None:
        return  # no action server, done already, or no model loaded yet
    if getattr(processor, "action_endpoint", None) is not endpoint:
        _warn_once("action endpoint")
        return
    timed = TimedEndpointConfig(endpoint, float(endpoint.kwargs.get("timeout") or ACTION_TIMEOUT_S))
    agent.action_endpoint = processor.action_endpoint = timed
