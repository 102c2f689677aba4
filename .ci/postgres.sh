#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the tests and print its URL (stdout only).
# Installs Debian's postgresql package when the server is missing. Everything else goes to stderr.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "installing postgresql from Debian packages" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2;
  else sudo apt-get update -qq >&2 && sudo apt-get install -y -qq postgresql >&2; fi
  bin=$(find_bin)
fi

dir=$(mktemp -d /tmp/talksbot-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
fi
as_owner "$bin/initdb" -D "$dir/data" -A trust -U talksbot --no-sync >&2
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" start >&2
echo "postgresql+asyncpg://talksbot@127.0.0.1:$port/postgres"
