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
# Signs the widget's session ids (channels/webchat.py). Kept in a file, so sessions survive
# a restart; several servers behind one balancer need the same value in the environment.
if [[ -z "${CART_WIDGET_SECRET:-}" ]]; then
  [[ -s .widget-secret ]] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > .widget-secret)
  export CART_WIDGET_SECRET="$(< .widget-secret)"
fi

actions() {
  SANIC_HOST="$HOST" exec .venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT"
}

# The API token and JWT secret go through the environment (scripts/rasa_cli.py), not the command line.
rasa() {
  SANIC_REQUEST_MAX_SIZE="$MAX_REQUEST_BYTES" exec .venv/bin/python scripts/rasa_cli.py run --model "$MODEL" \
    --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" --interface "$HOST" --port "$RASA_PORT"
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

# The Rasa server is restarted if it stops by itself (the action server and the demo page
# keep running); after 5 stops within a minute this gives up and stops everything.
stopping=
trap 'stopping=1; kill "${pids[@]}" 2>/dev/null || true' INT TERM
stops=()
while :; do
  (rasa) &
  pids+=($!)
  status=0
  wait "$!" || status=$?
  [[ -z "$stopping" ]] || break
  now=$SECONDS
  stops=($(for t in "${stops[@]}" "$now"; do (( now - t < 60 )) && echo "$t"; done))
  if (( ${#stops[@]} >= 5 )); then
    echo "The Rasa server stopped 5 times within a minute (last exit status $status): giving up." >&2
    exit 1
  fi
  echo "The Rasa server stopped unexpectedly (exit status $status); restarting it in 2 s." >&2
  sleep 2
done
wait || true  # for the servers to finish stopping
