"""A Socket.IO chat client, as a site's widget or another program talks to the assistant
(python-socketio over WebSocket: its websocket library sends the server's own URL as Origin)."""
from __future__ import annotations

import time
from typing import List, Optional

import socketio


class ChatClient:
    def __init__(self, server_url: str, origin: Optional[str] = None, transport: str = "websocket") -> None:
        self.client = socketio.SimpleClient()
        self.client.connect(server_url, headers={"Origin": origin} if origin else {}, transports=[transport],
                            wait_timeout=20)
        self.session_id: Optional[str] = None

    def __enter__(self) -> "ChatClient":
        return self

    def __exit__(self, *_) -> None:
        self.client.disconnect()

    @property
    def transport(self) -> str:
        return self.client.client.transport()

    def start_session(self, session_id: Optional[str] = None) -> str:
        self.client.emit("session_request", {"session_id": session_id})
        self.session_id = self.next_event("session_confirm")
        return self.session_id

    def next_event(self, name: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event, *args = self.client.receive(timeout=deadline - time.monotonic())
            if event == name:
                return args[0] if args else None
        raise TimeoutError(name)

    def send(self, text: str, session_id: Optional[str] = None) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": session_id or self.session_id})

    def replies(self, first_within: float = 60, quiet: float = 1.5) -> List[dict]:
        """The bot messages that arrive until `quiet` seconds pass without one (none: [])."""
        messages, timeout = [], first_within
        while True:
            try:
                event, *args = self.client.receive(timeout=timeout)
            except socketio.exceptions.TimeoutError:
                return messages
            if event == "bot_uttered":
                messages.append(args[0])
                timeout = quiet

    def say(self, text: str) -> List[dict]:
        self.send(text)
        return self.replies()
