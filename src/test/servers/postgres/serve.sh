# Runs PostgreSQL for the tests, as the user it is started as (never root: PostgreSQL refuses it), on 127.0.0.1 only.
# Its Java side passes this script to bash -c (so that the postgres user need not read the source tree):
#   bash -c "$(cat serve.sh)" serve.sh BINDIR DATADIR PORT
# It creates the cluster in DATADIR if there is none (trust authentication, which initdb grants to loopback only), starts
# the server with logical decoding on (wal_level=logical, for Debezium) and without durability it does not need (fsync
# off), prints "postgresql VERSION listening on port PORT" once the server accepts connections, and stops it (a fast
# shutdown) when its standard input closes, which also happens when the JVM that started it dies.
set -euo pipefail
bindir=$1 datadir=$2 port=$3
if [ ! -f "$datadir/PG_VERSION" ]; then
  "$bindir/initdb" -D "$datadir" -U postgres --auth=trust -E UTF8 --no-sync --no-instructions >/dev/null
fi
"$bindir/postgres" -D "$datadir" -c port="$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories= \
  -c wal_level=logical -c max_wal_senders=10 -c max_replication_slots=10 -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c max_connections=50 &
server=$!
stop() { kill -INT "$server" 2>/dev/null || true; wait "$server" || true; }
until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; do
  if ! kill -0 "$server" 2>/dev/null; then
    wait "$server" || exit $?
    exit 1
  fi
  sleep 0.1
done
echo "postgresql-$("$bindir/postgres" --version | awk '{print $3}') listening on port $port"
cat >/dev/null || true
stop
