#!/usr/bin/env bash
# Starts the assistant's servers on loopback; Ctrl-C stops them all.
#   scripts/run.sh                  action server, Rasa server (REST, widget, Slack), demo page
#   scripts/run.sh shell            chat in this terminal instead
#   scripts/run.sh actions|rasa|web one server in the foreground (scripts/servers.py, deployments)
#   scripts/run.sh forget-conversations DAYS   delete conversations idle for DAYS days
# Settings: scripts/defaults.env, overridden by the environment. Called by `make run`,
# `make shell` and `make forget-conversations`, which install and train first.
set -euo pipefail
cd "$(dirname "$0")/.."

while IFS='=' read -r key value; do
  [[ -z "$key" || "$key" == \#* || -n "${!key+set}" ]] || export "$key=$value"
done < scripts/defaults.env
export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="$PWD"
export RASA_URL="${RASA_URL:-http://$HOST:$RASA_PORT}"  # where browsers reach Rasa
export WIDGET_ORIGINS="${WIDGET_ORIGINS:-http://$HOST:$WEB_PORT}"  # pages allowed to chat
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://$HOST:$ACTIONS_PORT/webhook}"

actions() {
  SANIC_HOST="$HOST" exec .venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT"
}

rasa() {
  local api=()
  if [[ -n "$RASA_AUTH_TOKEN$RASA_JWT_SECRET" ]]; then api+=(--enable-api); fi
  if [[ -n "$RASA_AUTH_TOKEN" ]]; then api+=(--auth-token "$RASA_AUTH_TOKEN"); fi
  if [[ -n "$RASA_JWT_SECRET" ]]; then api+=(--jwt-secret "$RASA_JWT_SECRET"); fi
  SANIC_REQUEST_MAX_SIZE="$MAX_REQUEST_BYTES" exec .venv/bin/rasa run --model "$MODEL" \
    --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" --interface "$HOST" --port "$RASA_PORT" "${api[@]}"
}

web() {
  exec .venv/bin/python web/serve.py --host "$HOST" --port "$WEB_PORT" --rasa-url "$RASA_URL"
}

case "${1:-}" in
  actions|rasa|web) "$1"; exit ;;
  forget-conversations) exec .venv/bin/python scripts/forget_conversations.py --days "${2:?number of days}" ;;
esac

(actions) &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

if [[ "${1:-}" == "shell" ]]; then
  .venv/bin/rasa shell --model "$MODEL" --endpoints "$ENDPOINTS"
  exit
fi

(web) &
pids+=($!)

if [[ -n "${SLACK_BOT_TOKEN:-}" && -n "${SLACK_SIGNING_SECRET:-}" ]]; then
  slack="on: Slack's request URL https://<public host>/webhooks/slack/webhook must reach http://$HOST:$RASA_PORT"
else
  slack="off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect a workspace: README, Slack)"
fi
if [[ -n "$RASA_AUTH_TOKEN$RASA_JWT_SECRET" ]]; then api="on (token or JWT required)"; else api="off"; fi

cat <<INFO

CAR T assistant starting on http://$HOST:$RASA_PORT (conversations: ${TRACKER_STORE_URL//:*@/:***@}).
Once it says "Rasa server is up and running":
  chat in the browser: http://$HOST:$WEB_PORT/
  or over REST:
  curl -s http://$HOST:$RASA_PORT/webhooks/rest/webhook \\
    -H 'Content-Type: application/json' -d '{"sender": "me", "message": "What is CAR T?"}'
Slack: $slack
HTTP API: $api
Stop with Ctrl-C.

INFO
(rasa)
