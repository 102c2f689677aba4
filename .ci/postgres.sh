#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the tests, in a folder of its own.
#   bash .ci/postgres.sh start DIR   starts it with its data in DIR and prints its URL (stdout only)
#   bash .ci/postgres.sh stop DIR    stops that server (pg_ctl on DIR: never other jobs' servers)
#   bash .ci/postgres.sh halt DIR    stops it but keeps its data; `resume DIR` starts it again on
#                                    the same port (tests of a database that goes away and comes back)
# Installs Debian's postgresql package when the server is missing. Everything else goes to stderr.
set -euo pipefail

action=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

server_options() { echo "-h 127.0.0.1 -p $(cat "$dir/port") -k $dir -c fsync=off"; }

if [ "$action" = halt ]; then
  bin=$(find_bin)
  (cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2)
  exit 0
fi
if [ "$action" = resume ]; then
  bin=$(find_bin)
  (cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$(server_options)" start >&2)
  exit 0
fi
if [ "$action" = stop ]; then
  bin=$(find_bin)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    (cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2) || true
  fi
  rm -rf "$dir"
  exit 0
fi

bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "installing postgresql from Debian packages" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2;
  else sudo apt-get update -qq >&2 && sudo apt-get install -y -qq postgresql >&2; fi
  bin=$(find_bin)
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
fi
cd "$dir"  # the server's owner may not enter the caller's folder
as_owner "$bin/initdb" -D "$dir/data" -A trust -U talksbot --no-sync >&2
echo "$port" > "$dir/port"
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$(server_options)" start >&2
echo "postgresql+asyncpg://talksbot@127.0.0.1:$port/postgres"
