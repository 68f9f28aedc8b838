#!/usr/bin/env bash
# Profiles one nianbao build of a synthetic site with perf (Debian: apt-get
# install linux-perf), or with valgrind's callgrind where perf is not allowed.
#
#   benches/profile.sh [N]     (default N = 10000)
#
# Prints the flat profile (self time by symbol, user and kernel), the time
# by shared object, and the inclusive time of nianbao's own stages. Work
# files go to $BENCH_DIR/profile-N (default target/bench/profile-N).
# $NIANBAO_BIN profiles another binary than target/release/nianbao.
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-10000}
BENCH_DIR=${BENCH_DIR:-$PWD/target/bench}
W=$BENCH_DIR/profile-$N
rm -rf "$W"
mkdir -p "$W"
if [ -z "${NIANBAO_BIN:-}" ]; then
  cargo build --release --quiet
  cp target/release/nianbao "$W/nianbao"
  NIANBAO_BIN=$W/nianbao
fi
python3 benches/gen_site.py "$N" "$W/site" >/dev/null
# On a journal-less ext4 (this machine's disk) inodes freed in the last 60 s
# make file creation slow (see BENCHMARKS.md): wait them out, or better, run
# with BENCH_DIR on tmpfs (/dev/shm/...), which is what BENCHMARKS.md shows.
if [ "$(stat -f -c %T "$W")" != tmpfs ]; then
  sync
  sleep 70
fi
OUT=$W/out
CMD=("$NIANBAO_BIN" build -q -c "$W/site/nianbao/content" -o "$OUT")

if perf record -F 999 --call-graph dwarf,32768 -o "$W/perf.data" -- "${CMD[@]}" 2>"$W/perf-record.log"; then
  echo "## perf, N = $N: self time by symbol (top 25)"
  perf report -i "$W/perf.data" --no-children --sort symbol --stdio -g none --percent-limit 0.8 2>/dev/null |
    grep -v '^#' | grep -v '^$' | sed 's/ \+$//' | cut -c1-150 | head -n 25
  echo
  echo "## perf: by shared object"
  perf report -i "$W/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null |
    grep -v '^#' | grep -v '^$' | head -n 8
  echo
  echo "## perf: inclusive time of nianbao's functions (children included)"
  perf report -i "$W/perf.data" --children --sort symbol --stdio -g none --percent-limit 1 2>/dev/null |
    grep -v '^#' | grep -v '^$' | grep -v '(inlined)' |
    grep -E ' nianbao::|minify_html::minify$|nianbao::write::compact|tera::.*render|pulldown_cmark::html|resvg::render|serde_saphyr::from_str|std::fs::write|remove_dir_all|ext4_create|find_inode_bit|recently_deleted|alloc::alloc::exchange_malloc|_int_malloc|clone' |
    sed 's/ \+$//' | cut -c1-150 | head -n 30
else
  echo "perf record failed ($(tail -n 1 "$W/perf-record.log")); using callgrind at N = 1000" >&2
  python3 benches/gen_site.py 1000 "$W/small" >/dev/null
  valgrind --tool=callgrind --callgrind-out-file="$W/callgrind.out" \
    "$NIANBAO_BIN" build -q -c "$W/small/nianbao/content" -o "$W/out-small" 2>"$W/callgrind.log"
  callgrind_annotate --inclusive=yes "$W/callgrind.out" | head -n 60
fi
