#!/usr/bin/env bash
# The PostgreSQL history's done-when figures (docs/DESIGN.md, "Run history"; issue 17):
#
#   Scripts/pg-shards.sh [SITES] [SHARDS] [ENTRIES]     (default 200 sites, 20 shards, 100 000 entries)
#
# On a synthetic audit of SITES sites (`ressaisie synth --sites`), starts SHARDS jobs at once
# (`analyze AUDIT --shard I/SHARDS --history postgres://…`) against one new PostgreSQL database, then checks
# that every site is recorded exactly once and that `compare` reads them all back; prints the wall time and
# `pg_database_size`. The same jobs at once against one SQLite file: wall time, and `compare` compared with
# cmp in every format (`history` too, its run numbers aside: concurrent jobs commit in a different order in each
# store). Then the same shards one after the other, in index order, into a new database and a new file:
# `history` and `compare` compared with cmp byte for byte, every format.
#
# Uses the server of $RESSAISIE_TEST_PG_URL / $RESSAISIE_TEST_PG_PASSWORD when set, else starts a throw-away one
# (Scripts/pg-test-server.sh). A fixed key file and SOURCE_DATE_EPOCH make the outputs comparable. Binary:
# $BIN (default: a debug build, `swift build`). Work folder: $OUT (default /tmp/ressaisie-pg-shards).
set -euo pipefail
cd "$(dirname "$0")/.."
sites=${1:-200}
shards=${2:-20}
entries=${3:-100000}
out=${OUT:-/tmp/ressaisie-pg-shards}
if [ -z "${BIN:-}" ]; then
  swift build --product ressaisie >&2
  BIN=$PWD/.build/debug/ressaisie
fi
if [ -z "${RESSAISIE_TEST_PG_URL:-}" ]; then
  eval "$(Scripts/pg-test-server.sh start)"
  trap 'Scripts/pg-test-server.sh stop "$RESSAISIE_TEST_PG_DIR"' EXIT
fi
export PGPASSWORD=$RESSAISIE_TEST_PG_PASSWORD
export SOURCE_DATE_EPOCH=1780000000
psql=${RESSAISIE_TEST_PG_BIN:+$RESSAISIE_TEST_PG_BIN/}psql
sql() { "$psql" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" "${2:-$RESSAISIE_TEST_PG_URL}"; }
base=${RESSAISIE_TEST_PG_URL%/*}
newdb() {
  local name="ressaisie_shards_$1"
  sql "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null
  sql "CREATE DATABASE $name" >/dev/null
  echo "$base/$name"
}

rm -rf "$out"
mkdir -p "$out"
printf 'pg-shards-key-0123456789abcdef0123' >"$out/audit.key"
echo "synth: $sites sites, about $entries entries…" >&2
"$BIN" synth --out "$out/audit" --sites "$sites" --entries "$entries" --seed 17 --quiet
found=$(find "$out/audit" -mindepth 1 -maxdepth 1 -type d | wc -l)

# SHARDS jobs at once into HISTORY; prints the wall time in seconds; every job must exit 0.
at_once() {
  local history=$1 tag=$2 start end i failed=0 pids=()
  mkdir -p "$out/$tag"
  start=$(date +%s.%N)
  for i in $(seq 0 $((shards - 1))); do
    "$BIN" analyze "$out/audit" --shard "$i/$shards" --key-file "$out/audit.key" --quiet -f json \
      -o "$out/$tag/shard-$i.json" --history "$history" 2>"$out/$tag/shard-$i.err" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  end=$(date +%s.%N)
  [ "$failed" -eq 0 ] || { echo "$failed job(s) failed into $history: see $out/$tag/*.err" >&2; exit 1; }
  awk "BEGIN { printf \"%.1f\", $end - $start }"
}

one_by_one() {
  local history=$1 i
  for i in $(seq 0 $((shards - 1))); do
    "$BIN" analyze "$out/audit" --shard "$i/$shards" --key-file "$out/audit.key" --quiet -o /dev/null \
      --history "$history"
  done
}

# Compares `history` and `compare` of the two stores in every format; $3: "ids" to drop history's run numbers.
same_outputs() {
  local pg=$1 sqlite=$2 mode=${3:-} arguments name differ=0
  for arguments in "history -f text" "history -f json" "history -f csv" "compare -f text" "compare -f json" \
    "compare -f md" "compare -f csv" "compare -f html"; do
    set -- $arguments
    local option=--history
    [ "$1" = history ] && option=--database
    name="$out/$1-${3}"
    "$BIN" $arguments $option "$pg" >"$name.pg"
    "$BIN" $arguments $option "$sqlite" >"$name.sqlite"
    if [ "$mode" = ids ] && [ "$1" = history ]; then
      if [ "$3" = csv ]; then
        cut -d, -f2- "$name.pg" | sort >"$name.pg.noids" && cut -d, -f2- "$name.sqlite" | sort >"$name.sqlite.noids"
        cmp -s "$name.pg.noids" "$name.sqlite.noids" || { echo "differ: $arguments" >&2; differ=1; }
      fi
      continue
    fi
    cmp "$name.pg" "$name.sqlite" >&2 || { echo "differ: $arguments" >&2; differ=1; }
  done
  [ "$differ" -eq 0 ] && echo "identical" || echo "DIFFERENT"
}

pg=$(newdb at_once)
pg_time=$(at_once "$pg" pg)
recorded=$(sql "SELECT count(*) || ' rows, ' || count(DISTINCT site) || ' sites, ' || (SELECT count(*) FROM run) || ' runs' FROM site_metrics" "$pg")
twice=$(sql "SELECT count(*) FROM (SELECT site FROM site_metrics GROUP BY site HAVING count(*) > 1) t" "$pg")
compared=$("$BIN" compare --history "$pg" -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sites"]))')
size=$(sql "SELECT pg_database_size(current_database()) || ' bytes (' || pg_size_pretty(pg_database_size(current_database())) || ')'" "$pg")
empty=$(newdb empty)
empty_size=$(sql "SELECT pg_size_pretty(pg_database_size(current_database()))" "$empty")
sqlite_time=$(at_once "$out/at-once.sqlite" sqlite)
at_once_same=$(same_outputs "$pg" "$out/at-once.sqlite" ids)

pg_seq=$(newdb one_by_one)
one_by_one "$pg_seq"
one_by_one "$out/one-by-one.sqlite"
one_by_one_same=$(same_outputs "$pg_seq" "$out/one-by-one.sqlite")

cat <<EOF
audit: $found sites, about $entries entries ($out/audit); $shards shards; binary $BIN
$shards jobs at once into PostgreSQL: ${pg_time} s wall; recorded $recorded; sites recorded twice: $twice
compare from PostgreSQL: $compared sites
database size after the round: $size (an empty database: $empty_size)
$shards jobs at once into SQLite: ${sqlite_time} s wall; compare (every format) and history (csv, run numbers aside): $at_once_same
$shards jobs one after the other into each: history and compare in every format, byte for byte: $one_by_one_same
EOF
