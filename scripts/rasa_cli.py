"""`rasa`, with the HTTP API's token and JWT secret read from the environment.

    python scripts/rasa_cli.py run --model models/cart.tar.gz ...

CART_API_TOKEN and CART_JWT_SECRET become `--enable-api --auth-token ... --jwt-secret ...`
inside this process, so they never appear on a command line, where every local user can
read them (`ps`, /proc/<pid>/cmdline). Rasa 3.6 itself takes them only as arguments.
Used by scripts/run.sh.
"""
import os
import sys

from rasa.__main__ import main

if __name__ == "__main__":
    secrets = [(flag, os.environ.get(variable)) for variable, flag in
               (("CART_API_TOKEN", "--auth-token"), ("CART_JWT_SECRET", "--jwt-secret"))]
    if any(value for _, value in secrets):
        sys.argv.append("--enable-api")
    for flag, value in secrets:
        if value:
            sys.argv += [flag, value]
    main()
