# A throwaway PostgreSQL cluster for the tests and benchmarks of the shared journal.
# Source it after common.sh; start_test_postgres exports MOONWATCH_TEST_POSTGRES_URL
# (a superuser's URL with its password, to the database "postgres") and
# MOONWATCH_TEST_POSTGRES_BIN (the folder of psql), and stops the cluster when the shell exits.

# The newest installed server's binaries (initdb, pg_ctl), installing Debian's postgresql first if needed.
postgres_bin() {
  ensure_packages postgresql >&2
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "no initdb under /usr/lib/postgresql (is postgresql installed?)" >&2; return 1; }
  echo "$bin"
}

# A loopback TCP port nobody listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_test_postgres: initdb into a temporary folder as an unprivileged user, start the
# server on a free loopback port (and a socket in that folder), wait until it answers.
start_test_postgres() {
  local bin user folder port password
  bin=$(postgres_bin)
  # The server refuses to run as root: the cluster belongs to an unprivileged user.
  user=postgres
  if [ "$(id -u)" -ne 0 ]; then user=$(id -un); fi
  id "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user"
  folder=$(mktemp -d /tmp/moonwatch-pg.XXXXXX)
  chmod 755 "$folder"
  port=$(free_port)
  password="test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" > "$folder/pwfile"
  chown -R "$user" "$folder"
  as_user() { if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi; }
  as_user "$bin/initdb" -D "$folder/data" -U moonwatch --pwfile="$folder/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >"$folder/initdb.log" 2>&1 \
    || { cat "$folder/initdb.log" >&2; return 1; }
  # Room for three batch processes' pools, the tests' own connections and the benchmark's.
  as_user "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $folder -c max_connections=300 -c fsync=off -c full_page_writes=off" start >&2 \
    || { cat "$folder/server.log" >&2; return 1; }
  MOONWATCH_TEST_POSTGRES_FOLDER=$folder
  MOONWATCH_TEST_POSTGRES_CTL="$bin/pg_ctl"
  MOONWATCH_TEST_POSTGRES_USER=$user
  export MOONWATCH_TEST_POSTGRES_URL="postgres://moonwatch:$password@127.0.0.1:$port/postgres?sslmode=disable"
  export MOONWATCH_TEST_POSTGRES_BIN=$bin
  trap stop_test_postgres EXIT
  echo "==> PostgreSQL test cluster on 127.0.0.1:$port ($folder)" >&2
}

stop_test_postgres() {
  [ -n "${MOONWATCH_TEST_POSTGRES_FOLDER:-}" ] || return 0
  runuser -u "$MOONWATCH_TEST_POSTGRES_USER" -- "$MOONWATCH_TEST_POSTGRES_CTL" -D "$MOONWATCH_TEST_POSTGRES_FOLDER/data" \
    -m immediate -w -t 30 stop >/dev/null 2>&1 \
    || "$MOONWATCH_TEST_POSTGRES_CTL" -D "$MOONWATCH_TEST_POSTGRES_FOLDER/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  rm -rf "$MOONWATCH_TEST_POSTGRES_FOLDER"
  MOONWATCH_TEST_POSTGRES_FOLDER=
}
