"""How a response looks on the wire for REST and Socket.IO clients.

One message per response (Rasa's REST and socketio outputs split a text at blank lines
into several messages), with the field names Rasa's socketio channel uses, so chat
clients written for Rasa (rasa-webchat, the project's widget) show it:
    {"text": "...", "quick_replies": [{"content_type": "text", "title": "...", "payload": "..."}]}
REST says "buttons" instead of "quick_replies", as Rasa's REST channel does.
The emergency and crisis replies carry `"metadata": {"emergency": true}` (domain.yml marks
them); an answer that may be rated carries `"metadata": {"feedback": {"topic": "<id>"}}`
(channels/feedback.py); other responses have no metadata field.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel

from channels.feedback import rated_topic


def client_metadata(response_metadata: Optional[Dict[Text, Any]]) -> Optional[Dict[Text, Any]]:
    """What clients are told about a response: whether it is urgent, or else which topic it
    may be rated on (nothing of its sources or internal names)."""
    if (response_metadata or {}).get("emergency"):
        return {"emergency": True}
    topic = rated_topic(response_metadata)
    return {"feedback": {"topic": topic}} if topic else None


def quick_replies(buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    return [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]


def socket_message(text: Text, buttons: Optional[List[Dict[Text, Any]]] = None,
                   response_metadata: Optional[Dict[Text, Any]] = None) -> Dict[Text, Any]:
    message: Dict[Text, Any] = {"text": text}
    if buttons:
        message["quick_replies"] = quick_replies(buttons)
    metadata = client_metadata(response_metadata)
    if metadata:
        message["metadata"] = metadata
    return message


class RestOutput(CollectingOutputChannel):
    """The REST reply: a list of messages, one per response."""

    async def _add(self, recipient_id: Text, response_metadata: Optional[Dict[Text, Any]], **fields: Any) -> None:
        message = self._message(recipient_id, **fields)
        metadata = client_metadata(response_metadata)
        if metadata:
            message["metadata"] = metadata
        await self._persist_message(message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._add(recipient_id, kwargs.get("metadata"), text=text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._add(recipient_id, kwargs.get("metadata"), text=text, buttons=buttons)
