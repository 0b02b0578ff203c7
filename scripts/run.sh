#!/usr/bin/env bash
# Starts the assistant's servers on loopback; Ctrl-C stops them all.
#   scripts/run.sh                  action server, Rasa server (REST, widget, Slack), demo page
#   scripts/run.sh shell            chat in this terminal instead
#   scripts/run.sh actions|rasa|web one server in the foreground (scripts/servers.py, deployments)
#   scripts/run.sh forget-conversations DAYS   delete conversations idle for DAYS days
# Settings: endpoints.yml and credentials.yml (the defaults for this machine, as plain
# `rasa run` uses them), or with CART_DEPLOY=1 deploy/endpoints.yml and deploy/credentials.yml
# with the CART_ settings of scripts/defaults.env, overridden by the environment.
# Called by `make run`, `make shell` and `make forget-conversations`, which install and train first.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${CART_DEPLOY:-}" == 1 ]]; then  # CART_ENDPOINTS, CART_CREDENTIALS: files of your own
  endpoints=${CART_ENDPOINTS:-deploy/endpoints.yml} credentials=${CART_CREDENTIALS:-deploy/credentials.yml}
else
  endpoints=endpoints.yml credentials=credentials.yml
  settings=$(compgen -e | grep -E '^CART_' | grep -vE '^CART_(DEPLOY|WIDGET_SECRET)$' || true)
  if [[ -n "$settings" ]]; then
    echo "Note: $(echo $settings) apply with CART_DEPLOY=1 (README, Deploying); using $endpoints and $credentials." >&2
    unset $settings
  fi
fi
while IFS='=' read -r key value; do
  [[ -z "$key" || "$key" == \#* || -n "${!key+set}" ]] || export "$key=$value"
done < scripts/defaults.env
export CART_RASA_URL="${CART_RASA_URL:-http://$CART_HOST:$CART_RASA_PORT}"  # where browsers reach Rasa
export CART_WIDGET_ORIGINS="${CART_WIDGET_ORIGINS:-http://$CART_HOST:$CART_WEB_PORT}"  # pages allowed to chat
export CART_ACTION_ENDPOINT_URL="${CART_ACTION_ENDPOINT_URL:-http://$CART_HOST:$CART_ACTIONS_PORT/webhook}"
export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="$PWD"
# Signs the widget's session ids (channels/webchat.py). Kept in a file, so sessions survive
# a restart; several servers behind one balancer need the same value in the environment.
if [[ -z "${CART_WIDGET_SECRET:-}" ]]; then
  [[ -s .widget-secret ]] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > .widget-secret)
  export CART_WIDGET_SECRET="$(< .widget-secret)"
fi

actions() {
  SANIC_HOST="$CART_HOST" exec .venv/bin/rasa run actions --actions actions --port "$CART_ACTIONS_PORT"
}

# The API token and JWT secret go through the environment (scripts/rasa_cli.py), not the command line.
rasa() {
  exec .venv/bin/python scripts/rasa_cli.py run --model "$CART_MODEL" \
    --endpoints "$endpoints" --credentials "$credentials" --interface "$CART_HOST" --port "$CART_RASA_PORT"
}

web() {
  exec .venv/bin/python web/serve.py --host "$CART_HOST" --port "$CART_WEB_PORT" --rasa-url "$CART_RASA_URL"
}

case "${1:-}" in
  actions|rasa|web) "$1"; exit ;;
  forget-conversations) exec .venv/bin/python scripts/forget_conversations.py --days "${2:?number of days}" ;;
esac

(actions) &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

if [[ "${1:-}" == "shell" ]]; then
  .venv/bin/rasa shell --model "$CART_MODEL" --endpoints "$endpoints"
  exit
fi

(web) &
pids+=($!)

if [[ -n "${SLACK_BOT_TOKEN:-}" && -n "${SLACK_SIGNING_SECRET:-}" ]]; then
  slack="on: Slack's request URL https://<public host>/webhooks/slack/webhook must reach http://$CART_HOST:$CART_RASA_PORT"
else
  slack="off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect a workspace: README, Slack)"
fi
if [[ -n "$CART_API_TOKEN$CART_JWT_SECRET" ]]; then api="on (token or JWT required)"; else api="off"; fi

cat <<INFO

CAR T assistant starting on http://$CART_HOST:$CART_RASA_PORT (settings: $endpoints, $credentials).
Once it says "Rasa server is up and running":
  chat in the browser: http://$CART_HOST:$CART_WEB_PORT/
  or over REST:
  curl -s http://$CART_HOST:$CART_RASA_PORT/webhooks/rest/webhook \\
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
  unset 'pids[-1]'  # it has stopped: its pid may be reused by another process
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
