#!/usr/bin/env bash
# Starts the action server, the Rasa server and the demo page with the chat widget,
# on loopback; Ctrl-C stops them all.
#   scripts/run.sh         REST, the widget's Socket.IO channel (credentials.yml), demo page
#   scripts/run.sh shell   chat in this terminal instead
# Called by `make run` / `make shell`, which install and train first.
set -euo pipefail
cd "$(dirname "$0")/.."

export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="$PWD"
export HOST="${HOST:-127.0.0.1}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTIONS_PORT="${ACTIONS_PORT:-5055}"
export WEB_PORT="${WEB_PORT:-8080}"
export RASA_URL="${RASA_URL:-http://$HOST:$RASA_PORT}"  # where browsers reach Rasa
export WIDGET_ORIGINS="${WIDGET_ORIGINS:-http://$HOST:$WEB_PORT}"  # pages allowed to chat
export SANIC_HOST="$HOST"  # the action server's bind address
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://$HOST:$ACTIONS_PORT/webhook}"
export TRACKER_DB="${TRACKER_DB:-$PWD/conversations.db}"
MODEL="${MODEL:-models/cart.tar.gz}"

.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

if [[ "${1:-}" == "shell" ]]; then
  .venv/bin/rasa shell --model "$MODEL" --endpoints endpoints.yml
  exit
fi

.venv/bin/python web/serve.py --host "$HOST" --port "$WEB_PORT" --rasa-url "$RASA_URL" &
pids+=($!)

if [[ -n "${SLACK_BOT_TOKEN:-}" && -n "${SLACK_SIGNING_SECRET:-}" ]]; then
  slack="on: Slack's request URL https://<public host>/webhooks/slack/webhook must reach http://$HOST:$RASA_PORT"
else
  slack="off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect a workspace: README, Slack)"
fi

cat <<INFO

CAR T assistant starting on http://$HOST:$RASA_PORT (conversations in $TRACKER_DB).
Once it says "Rasa server is up and running":
  chat in the browser: http://$HOST:$WEB_PORT/
  or over REST:
  curl -s http://$HOST:$RASA_PORT/webhooks/rest/webhook \\
    -H 'Content-Type: application/json' -d '{"sender": "me", "message": "What is CAR T?"}'
Slack: $slack
Stop with Ctrl-C.

INFO
.venv/bin/rasa run --model "$MODEL" --endpoints endpoints.yml --credentials credentials.yml \
  --interface "$HOST" --port "$RASA_PORT"
