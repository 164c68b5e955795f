#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster from Debian's server binaries for the test run:
# a temporary data directory, a free port on 127.0.0.1, removed again by `pg-throwaway.sh stop`.
# Usage: eval "$(scripts/pg-throwaway.sh start)"   ...   scripts/pg-throwaway.sh stop "$RENKEI_PG_DIR"
set -euo pipefail

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$d" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$d"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

case "${1:-}" in
  start)
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/renkei-pg.XXXXXX)
    port=$(free_port)
    # initdb refuses to run as root; the cluster belongs to the unprivileged postgres user.
    runas=()
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      chown postgres "$dir"
      runas=(runuser -u postgres --)
    fi
    "${runas[@]}" "$bin/initdb" -D "$dir/data" -U renkei --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U renkei renkei_test >&2
    echo "export RENKEI_PG_DIR=$dir"
    echo "export RENKEI_TEST_PG_URL=postgresql://renkei@127.0.0.1:$port/renkei_test"
    ;;
  stop)
    dir=${2:?data dir}
    bin=$(pg_bin)
    runas=()
    [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
    "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
